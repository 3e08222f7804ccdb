import { afterEach, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/feishu/client.js';
import { type FakeFeishu, generateTenant, startFakeFeishu } from './index.js';

let fake: FakeFeishu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

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
});
