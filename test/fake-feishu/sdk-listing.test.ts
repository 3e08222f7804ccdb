import { describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/feishu/client.js';
import {
  addBitable,
  addMedia,
  addSpreadsheet,
  emptyTenant,
  type FakeFeishu,
  generateTenant,
  SHEETS_TOO_LARGE_CODE,
  startFakeFeishu,
} from './index.js';

let fake: FakeFeishu | undefined;

function clientFor(f: FakeFeishu): FeishuClient {
  const rates = Object.fromEntries(
    [
      'drive.list',
      'wiki.spaces',
      'wiki.nodes',
      'docx.blocks',
      'docx.document',
      'bitable.records',
      'bitable.fields',
      'bitable.tables',
    ].map((b) => [b, Number.POSITIVE_INFINITY]),
  );
  return new FeishuClient({ appId: f.appId, appSecret: f.appSecret, baseUrl: f.url, rates, maxRetries: 0 });
}

describe('the fake through the real SDK', () => {
  it('hands out a tenant token the SDK uses on every call', async () => {
    fake = await startFakeFeishu({ tenant: generateTenant({ seed: 3 }) });
    const client = clientFor(fake);
    const token = await client.token();
    expect(token).toMatch(/^t-/);
    await client.call('drive.list', 'list root', (o) => client.sdk.drive.v1.file.list({ params: {} }, o));
    const listed = fake.requestsTo('drive.list')[0]!;
    expect(listed.headers.authorization).toBe(`Bearer ${token}`);
    expect(listed.status).toBe(200);
  });

  it('pages a folder with next_page_token until has_more is false', async () => {
    fake = await startFakeFeishu({ tenant: generateTenant({ seed: 4, folders: 1, docxPerFolder: 7 }) });
    const client = clientFor(fake);
    const folder = [...fake.tenant.drive.values()].find(
      (e) => e.type === 'folder' && e.name.startsWith('文件夹'),
    )!;
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const data = await client.call<{
        files?: { name: string }[];
        has_more?: boolean;
        next_page_token?: string;
      }>('drive.list', 'list', (o) =>
        client.sdk.drive.v1.file.list(
          {
            params: {
              folder_token: folder.token,
              page_size: 3,
              ...(pageToken ? { page_token: pageToken } : {}),
            },
          },
          o,
        ),
      );
      names.push(...(data.files ?? []).map((f) => f.name));
      pageToken = data.has_more ? data.next_page_token : undefined;
    } while (pageToken);
    const inFolder = [...fake.tenant.drive.values()].filter((e) => e.parentToken === folder.token);
    expect(inFolder.length).toBeGreaterThan(6);
    expect(names).toEqual(inFolder.map((e) => e.name));
    expect(fake.requestsTo('drive.list')).toHaveLength(Math.ceil(inFolder.length / 3));
  });

  it('lists docx blocks in pages of at most 500 with document_revision_id=-1', async () => {
    fake = await startFakeFeishu({ tenant: generateTenant({ seed: 5 }) });
    const client = clientFor(fake);
    const doc = [...fake.tenant.docs.values()][0]!;
    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const data = await client.call<{
        items?: { block_id?: string }[];
        has_more?: boolean;
        page_token?: string;
      }>('docx.blocks', 'blocks', (o) =>
        client.sdk.docx.v1.documentBlock.list(
          {
            path: { document_id: doc.documentId },
            params: {
              page_size: 2,
              document_revision_id: -1,
              ...(pageToken ? { page_token: pageToken } : {}),
            },
          },
          o,
        ),
      );
      ids.push(...(data.items ?? []).map((b) => b.block_id ?? ''));
      pageToken = data.has_more ? data.page_token : undefined;
    } while (pageToken);
    expect(ids).toEqual(doc.blocks.map((b) => b.block_id));
  });

  it('pages wiki spaces past an empty first page, walks nodes by has_child, and resolves get_node', async () => {
    fake = await startFakeFeishu({
      tenant: generateTenant({ seed: 6, wikiSpaces: 2, wikiNodesPerSpace: 6 }),
    });
    const client = clientFor(fake);
    const spaces: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const data = await client.call<{
        items?: { space_id?: string }[];
        has_more?: boolean;
        page_token?: string;
      }>('wiki.spaces', 'spaces', (o) =>
        client.sdk.wiki.v2.space.list(
          { params: { page_size: 1, ...(pageToken ? { page_token: pageToken } : {}) } },
          o,
        ),
      );
      pages++;
      spaces.push(...(data.items ?? []).map((s) => s.space_id!));
      pageToken = data.has_more ? data.page_token : undefined;
    } while (pageToken);
    expect(spaces).toEqual(fake.tenant.wikiSpaces.map((s) => s.spaceId));
    expect(pages).toBe(3);

    const space = fake.tenant.wikiSpaces[0]!;
    const found: string[] = [];
    const walk = async (parent: string): Promise<void> => {
      const data = await client.call<{ items?: { node_token?: string; has_child?: boolean }[] }>(
        'wiki.nodes',
        'nodes',
        (o) =>
          client.sdk.wiki.v2.spaceNode.list(
            {
              path: { space_id: space.spaceId },
              params: { page_size: 50, ...(parent ? { parent_node_token: parent } : {}) },
            },
            o,
          ),
      );
      for (const n of data.items ?? []) {
        found.push(n.node_token!);
        if (n.has_child) await walk(n.node_token!);
      }
    };
    await walk('');
    expect(found.sort()).toEqual(space.nodes.map((n) => n.nodeToken).sort());
    expect(space.nodes.some((n) => n.nodeType === 'shortcut')).toBe(true);

    const target = space.nodes[space.nodes.length - 2]!;
    const got = await client.call<{ node?: { obj_token?: string } }>('wiki.get_node', 'get_node', (o) =>
      client.sdk.wiki.v2.space.getNode({ params: { token: target.nodeToken } }, o),
    );
    expect(got.node?.obj_token).toBe(target.objToken);
  });

  it('reads sheets: embed-image tokens only without ToString, float images, and a 10 MB refusal', async () => {
    const tenant = emptyTenant({ seed: 8 });
    const img = addMedia(tenant);
    const ss = addSpreadsheet(tenant, {
      title: 's',
      sheets: [
        {
          rowCount: 3,
          columnCount: 2,
          cells: [
            [0, 0, 'x'],
            [1, 1, { type: 'embed-image', fileToken: img.token, width: 10, height: 10 }],
          ],
          floatImages: [img.token],
        },
        { rowCount: 100_000, columnCount: 26, cells: [[0, 0, 'a'.repeat(200)]] },
      ],
    });
    fake = await startFakeFeishu({ tenant });
    const client = clientFor(fake);
    const meta = await client.call<{
      sheets?: { sheet_id?: string; grid_properties?: { row_count?: number } }[];
    }>('sheets.query', 'query', (o) =>
      client.sdk.sheets.v3.spreadsheetSheet.query({ path: { spreadsheet_token: ss.token } }, o),
    );
    expect(meta.sheets?.map((s) => s.grid_properties?.row_count)).toEqual([3, 100_000]);
    const [s1, s2] = ss.sheets;
    const values = (option?: string) =>
      client.request<{ valueRanges: { values: unknown[][] }[] }>('sheets.values', {
        method: 'GET',
        url: `/open-apis/sheets/v2/spreadsheets/${ss.token}/values_batch_get`,
        params: { ranges: `${s1!.sheetId}!A1:B3`, ...(option ? { valueRenderOption: option } : {}) },
      });
    expect((await values()).valueRanges[0]!.values[1]![1]).toEqual([{ id: 200, type: 'embed-image' }]);
    expect((await values('UnformattedValue')).valueRanges[0]!.values[1]![1]).toMatchObject({
      fileToken: img.token,
    });

    const floats = await client.call<{ items?: { float_image_token?: string }[] }>(
      'sheets.float_images',
      'floats',
      (o) =>
        client.sdk.sheets.v3.spreadsheetSheetFloatImage.query(
          { path: { spreadsheet_token: ss.token, sheet_id: s1!.sheetId } },
          o,
        ),
    );
    expect(floats.items?.map((f) => f.float_image_token)).toEqual([img.token]);

    const tooBig = await client
      .request('sheets.values', {
        method: 'GET',
        url: `/open-apis/sheets/v2/spreadsheets/${ss.token}/values_batch_get`,
        params: { ranges: s2!.sheetId },
      })
      .catch((e: unknown) => e as { feishuCode?: number });
    expect((tooBig as { feishuCode?: number }).feishuCode).toBe(SHEETS_TOO_LARGE_CODE);
    const block = await client.request<{ valueRanges: { values: unknown[][] }[] }>('sheets.values', {
      method: 'GET',
      url: `/open-apis/sheets/v2/spreadsheets/${ss.token}/values_batch_get`,
      params: { ranges: `${s2!.sheetId}!A1:Z5000` },
    });
    expect(block.valueRanges[0]!.values).toHaveLength(5000);
  });

  it('pages bitable tables, fields and records, with fields keyed by name and attachment urls carrying extra', async () => {
    const tenant = emptyTenant({ seed: 9 });
    const media = addMedia(tenant, { name: '照片.jpg', mimeType: 'image/jpeg', size: 1234 });
    const records = Array.from({ length: 1200 }, (_, i) => ({
      名称: `r${i}`,
      附件: i === 700 ? [media.token] : null,
    }));
    const app = addBitable(tenant, { name: 'b', tables: [{ records }, {}, {}] });
    fake = await startFakeFeishu({ tenant });
    const client = clientFor(fake);
    const tables = await client.call<{ items?: { table_id?: string; revision?: number }[]; total?: number }>(
      'bitable.tables',
      'tables',
      (o) =>
        client.sdk.bitable.v1.appTable.list(
          { path: { app_token: app.appToken }, params: { page_size: 100 } },
          o,
        ),
    );
    expect(tables.items?.map((t) => t.table_id)).toEqual(app.tables.map((t) => t.tableId));
    const table = app.tables[0]!;
    const fields = await client.call<{ items?: { field_name?: string; type?: number }[] }>(
      'bitable.fields',
      'fields',
      (o) =>
        client.sdk.bitable.v1.appTableField.list(
          { path: { app_token: app.appToken, table_id: table.tableId } },
          o,
        ),
    );
    expect(fields.items?.map((f) => [f.field_name, f.type])).toEqual([
      ['名称', 1],
      ['附件', 17],
    ]);
    const all: { fields?: Record<string, unknown> }[] = [];
    let pageToken: string | undefined;
    let total = 0;
    do {
      const data = await client.call<{
        items?: { fields?: Record<string, unknown> }[];
        has_more?: boolean;
        page_token?: string;
        total?: number;
      }>('bitable.records', 'search', (o) =>
        client.sdk.bitable.v1.appTableRecord.search(
          {
            path: { app_token: app.appToken, table_id: table.tableId },
            params: { page_size: 500, ...(pageToken ? { page_token: pageToken } : {}) },
            data: { automatic_fields: false },
          },
          o,
        ),
      );
      all.push(...(data.items ?? []));
      total = data.total ?? 0;
      pageToken = data.has_more ? data.page_token : undefined;
    } while (pageToken);
    expect([all.length, total, fake.requestsTo('bitable.records').length]).toEqual([1200, 1200, 3]);
    const [att] = all[700]!.fields!['附件'] as {
      file_token: string;
      name: string;
      size: number;
      url: string;
    }[];
    expect(att).toMatchObject({ file_token: media.token, name: '照片.jpg', size: 1234, type: 'image/jpeg' });
    const extra = JSON.parse(new URL(att!.url).searchParams.get('extra')!);
    expect(extra).toEqual({ bitablePerm: { tableId: table.tableId, rev: table.revision } });
  });
});
