import type { Root } from '../config/index.js';
import type { FeishuClient } from '../feishu/client.js';
import { ADVANCED_BASE_FIX } from '../sources/bitable/advanced.js';
import { splitEmbedded } from '../sources/docx/extract.js';
import { probe, type RootCheck, SCOPES } from './check-probe.js';

export { type RootCheck, type RootState, SCOPES, UNREADABLE } from './check-probe.js';

type Ctx = { client: FeishuClient; signal?: AbortSignal | undefined };

/**
 * One cheap read per root, so a root the app cannot read shows up now, named, instead of as an
 * empty backup: a folder's first entry, a wiki space's first node, a document's metadata, a
 * spreadsheet's sheets (and the bases embedded in it), a base's advanced-permission flag and, for an
 * advanced base, whether its records are visible at all.
 */
export async function checkRoot(ctx: Ctx, root: Root): Promise<RootCheck[]> {
  const { client, signal } = ctx;
  const sdk = client.sdk;
  switch (root.type) {
    case 'folder':
      // https://open.feishu.cn/document/server-docs/docs/drive-v1/folder/list
      return [
        await probe(`folder ${root.token}`, SCOPES.drive, () =>
          client.call(
            'drive.list',
            'GET /open-apis/drive/v1/files',
            (o) => sdk.drive.v1.file.list({ params: { folder_token: root.token, page_size: 1 } }, o),
            signal,
          ),
        ),
      ];
    case 'wiki':
      // https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/list
      return [
        await probe(`wiki space ${root.spaceId}`, SCOPES.wiki, () =>
          client.call(
            'wiki.nodes',
            'GET /open-apis/wiki/v2/spaces/:space_id/nodes',
            (o) =>
              sdk.wiki.v2.spaceNode.list({ path: { space_id: root.spaceId }, params: { page_size: 1 } }, o),
            signal,
          ),
        ),
      ];
    case 'wiki_node':
      // https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/get_node
      return [
        await probe(`wiki page ${root.nodeToken}`, SCOPES.wiki, () =>
          client.call(
            'wiki.get_node',
            'GET /open-apis/wiki/v2/spaces/get_node',
            (o) => sdk.wiki.v2.space.getNode({ params: { token: root.nodeToken } }, o),
            signal,
          ),
        ),
      ];
    case 'docx':
      // https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/get
      return [
        await probe(`docx ${root.token}`, SCOPES.docx, () =>
          client.call(
            'docx.document',
            'GET /open-apis/docx/v1/documents/:id',
            (o) => sdk.docx.v1.document.get({ path: { document_id: root.token } }, o),
            signal,
          ),
        ),
      ];
    case 'sheet':
      return checkSheet(ctx, root.token, root.sheetId);
    case 'bitable':
      return checkBase(ctx, `bitable ${root.token}`, root.token, root.tableId);
    case 'file':
      return [
        {
          what: `drive file ${root.token}`,
          scope: SCOPES.drive,
          state: 'not_probed',
          detail: 'not probed (a read would cost a download; the first backup checks it)',
        },
      ];
    case 'my-space':
      // https://open.feishu.cn/document/server-docs/docs/drive-v1/folder/get-root-folder-meta
      return [
        await probe('My Space', SCOPES.drive, () =>
          client.request(
            'drive.list',
            {
              method: 'GET',
              url: '/open-apis/drive/explorer/v2/root_folder/meta',
            },
            signal,
          ),
        ),
      ];
    case 'my-library':
    case 'wiki-spaces':
      // https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/list, .../wiki-v2/space/list
      return [
        await probe(
          root.type === 'my-library' ? 'personal wiki library' : 'wiki spaces list',
          SCOPES.wiki,
          () =>
            root.type === 'my-library'
              ? client.call(
                  'wiki.nodes',
                  'GET /open-apis/wiki/v2/spaces/my_library/nodes',
                  (o) =>
                    sdk.wiki.v2.spaceNode.list(
                      { path: { space_id: 'my_library' }, params: { page_size: 1 } },
                      o,
                    ),
                  signal,
                )
              : client.call(
                  'wiki.spaces',
                  'GET /open-apis/wiki/v2/spaces',
                  (o) => sdk.wiki.v2.space.list({ params: { page_size: 1 } }, o),
                  signal,
                ),
        ),
      ];
    case 'unsupported':
      return [{ what: `${root.kind} ${root.token}`, scope: '-', state: 'unsupported', detail: root.reason }];
  }
}

/**
 * A spreadsheet's sheets (https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet-sheet/query);
 * sheets whose resource_type is bitable are bases, named by metainfo's blockInfo and checked too
 * (https://open.feishu.cn/document/server-docs/historic-version/docs/sheets/obtain-spreadsheet-metadata).
 */
async function checkSheet(ctx: Ctx, token: string, sheetId: string | undefined): Promise<RootCheck[]> {
  const { client, signal } = ctx;
  let sheets: { sheet_id?: string; resource_type?: string }[] = [];
  const head = await probe(`sheet ${token}`, SCOPES.sheets, async () => {
    const data = await client.call<{ sheets?: typeof sheets }>(
      'sheets.query',
      'GET /open-apis/sheets/v3/spreadsheets/:token/sheets/query',
      (o) => client.sdk.sheets.v3.spreadsheetSheet.query({ path: { spreadsheet_token: token } }, o),
      signal,
    );
    sheets = (data.sheets ?? []).filter((s) => !sheetId || s.sheet_id === sheetId);
  });
  const bases = sheets.filter((s) => s.resource_type === 'bitable');
  if (head.state !== 'readable' || bases.length === 0) return [head];
  const out: RootCheck[] = [head];
  let meta: { sheets?: { sheetId?: string; blockInfo?: { blockToken?: string; blockType?: string } }[] } = {};
  const metaCheck = await probe(`sheet ${token} (embedded bases)`, SCOPES.sheets, async () => {
    meta = await client.request<typeof meta>(
      'sheets.metainfo',
      { method: 'GET', url: `/open-apis/sheets/v2/spreadsheets/${token}/metainfo` },
      signal,
    );
  });
  if (metaCheck.state !== 'readable') return [head, metaCheck];
  const wanted = new Set(bases.map((b) => b.sheet_id));
  const found = (meta.sheets ?? []).filter(
    (s) => wanted.has(s.sheetId) && s.blockInfo?.blockType === 'BITABLE_BLOCK',
  );
  head.detail = `readable, ${found.length} embedded base${found.length === 1 ? '' : 's'}`;
  for (const s of found) {
    const base = splitEmbedded(s.blockInfo?.blockToken);
    if (base)
      out.push(
        ...(await checkBase(ctx, `bitable ${base.token} (sheet ${s.sheetId} of ${token})`, base.token)),
      );
  }
  return out;
}

/**
 * A base: `is_advanced` (https://open.feishu.cn/document/server-docs/docs/bitable-v1/app/get), its
 * first table, and for an advanced base one record: records/search answers an app without manage
 * rights with success and no records (https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/bitable-v1/app-table-record/search).
 */
async function checkBase(ctx: Ctx, what: string, app: string, tableId?: string): Promise<RootCheck[]> {
  const { client, signal } = ctx;
  const sdk = client.sdk;
  let advanced = false;
  let table: string | undefined = tableId;
  let empty = false;
  const check = await probe(what, SCOPES.bitable, async () => {
    const info = await client.call<{ app?: { is_advanced?: boolean } }>(
      'bitable.app',
      'GET /open-apis/bitable/v1/apps/:app_token',
      (o) => sdk.bitable.v1.app.get({ path: { app_token: app } }, o),
      signal,
    );
    advanced = info.app?.is_advanced === true;
    if (!advanced) return;
    if (!table) {
      const tables = await client.call<{ items?: { table_id?: string }[] }>(
        'bitable.tables',
        'GET /open-apis/bitable/v1/apps/:app_token/tables',
        (o) => sdk.bitable.v1.appTable.list({ path: { app_token: app }, params: { page_size: 1 } }, o),
        signal,
      );
      table = tables.items?.[0]?.table_id;
    }
    if (!table) return;
    const tid = table;
    const records = await client.call<{ items?: unknown[] }>(
      'bitable.records',
      'POST /open-apis/bitable/v1/apps/:app_token/tables/:table_id/records/search',
      (o) =>
        sdk.bitable.v1.appTableRecord.search(
          { path: { app_token: app, table_id: tid }, params: { page_size: 1 }, data: {} },
          o,
        ),
      signal,
    );
    empty = (records.items ?? []).length === 0;
  });
  if (check.state !== 'readable') return [check];
  if (advanced && empty) {
    return [
      {
        what,
        scope: SCOPES.bitable,
        state: 'needs_manage',
        detail: 'needs manage rights',
        problem: `advanced permissions are on and table ${table} answered no records: the app lacks manage rights (or the table is empty)`,
        fix: ADVANCED_BASE_FIX,
      },
    ];
  }
  check.detail = advanced ? 'readable, advanced permissions, records visible' : 'readable';
  return [check];
}
