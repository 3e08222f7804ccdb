import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/feishu/client.js';
import {
  addBitable,
  addBoard,
  addDriveFile,
  addMedia,
  emptyTenant,
  type FakeFeishu,
  mediaBytes,
  startFakeFeishu,
  type Tenant,
} from './index.js';

let fake: FakeFeishu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(tenant: Tenant): Promise<{ fake: FakeFeishu; token: string }> {
  fake = await startFakeFeishu({ tenant });
  const client = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url });
  return { fake, token: await client.token() };
}

async function get(url: string, token: string | undefined, headers: Record<string, string> = {}) {
  const res = await request(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

describe('media download', () => {
  it('serves the whole media with its type, length, both filename forms, and the generator's bytes', async () => {
    const tenant = emptyTenant({ seed: 11 });
    const media = addMedia(tenant, { name: '设计稿 "v2".png', size: 300_001 });
    const { fake, token } = await start(tenant);
    const res = await get(`${fake.url}/open-apis/drive/v1/medias/${media.token}/download`, token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-length']).toBe('300001');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="___ _v2_.png"; filename*=UTF-8''${encodeURIComponent('设计稿 "v2".png')}`,
    );
    expect(res.body.length).toBe(300_001);
    // expectedMedia only counts what documents reference; check the generator's truth directly.
    expect(createHash('sha256').update(res.body).digest('hex')).toBe(
      createHash('sha256').update(mediaBytes(11, media.token, 0, 300_001)).digest('hex'),
    );
  });

  it('answers a Range with 206 and Content-Range, any offset computed directly', async () => {
    const tenant = emptyTenant({ seed: 12 });
    const media = addMedia(tenant, { size: 5 * 1024 ** 3 }); // 5 GiB, never in memory
    const { fake, token } = await start(tenant);
    const url = `${fake.url}/open-apis/drive/v1/medias/${media.token}/download`;
    const from = 4 * 1024 ** 3 + 7;
    const res = await get(url, token, { range: `bytes=${from}-${from + 99}` });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${from}-${from + 99}/${media.size}`);
    expect(res.body.equals(mediaBytes(12, media.token, from, from + 100))).toBe(true);
    const tail = await get(url, token, { range: 'bytes=-10' });
    expect(tail.headers['content-range']).toBe(`bytes ${media.size - 10}-${media.size - 1}/${media.size}`);
    expect(tail.body.equals(mediaBytes(12, media.token, media.size - 10, media.size))).toBe(true);
  });

  it('answers 416 with bytes */size when the range starts past the end', async () => {
    const tenant = emptyTenant();
    const media = addMedia(tenant, { size: 1000 });
    const { fake, token } = await start(tenant);
    const res = await get(`${fake.url}/open-apis/drive/v1/medias/${media.token}/download`, token, { range: 'bytes=1000-' });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */1000');
  });

  it('answers forbidden media 403/1061004, deleted 404/1061007 and unknown tokens 404/1061003', async () => {
    const tenant = emptyTenant();
    const forbidden = addMedia(tenant, { state: 'forbidden' });
    const deleted = addMedia(tenant, { state: 'deleted' });
    const { fake, token } = await start(tenant);
    const base = `${fake.url}/open-apis/drive/v1/medias`;
    const answers = await Promise.all(
      [forbidden.token, deleted.token, 'boxcnNoSuchToken'].map(async (t) => {
        const res = await get(`${base}/${t}/download`, token);
        return [res.status, JSON.parse(res.body.toString()).code];
      }),
    );
    expect(answers).toEqual([
      [403, 1061004],
      [404, 1061007],
      [404, 1061003],
    ]);
  });

  it('refuses downloads without a token (99991661) or with a bad one (99991663)', async () => {
    const tenant = emptyTenant();
    const media = addMedia(tenant);
    const { fake } = await start(tenant);
    const url = `${fake.url}/open-apis/drive/v1/medias/${media.token}/download`;
    expect(JSON.parse((await get(url, undefined)).body.toString()).code).toBe(99991661);
    expect(JSON.parse((await get(url, 't-forged')).body.toString()).code).toBe(99991663);
  });

  it('serves drive files from files/:token/download and boards as a real PNG', async () => {
    const tenant = emptyTenant();
    const file = addDriveFile(tenant, { name: 'scan.pdf', size: 12_345, mimeType: 'application/pdf' });
    const board = addBoard(tenant, { width: 10, height: 5 });
    const { fake, token } = await start(tenant);
    const pdf = await get(`${fake.url}/open-apis/drive/v1/files/${file.token}/download`, token);
    expect(pdf.status).toBe(200);
    expect(pdf.body.equals(mediaBytes(tenant.seed, file.token, 0, 12_345))).toBe(true);
    // A drive file is not a document media.
    expect((await get(`${fake.url}/open-apis/drive/v1/medias/${file.token}/download`, token)).status).toBe(404);
    const png = await get(`${fake.url}/open-apis/board/v1/whiteboards/${board}/download_as_image`, token);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.body.subarray(1, 4).toString()).toBe('PNG');
    expect(png.body.readUInt32BE(16)).toBe(10);
  });

  it('hands out at most 5 temporary URLs that download without a token', async () => {
    const tenant = emptyTenant();
    const tokens = Array.from({ length: 6 }, () => addMedia(tenant, { size: 777 }).token);
    const { fake, token } = await start(tenant);
    const qs = (ts: string[]) => ts.map((t) => `file_tokens=${t}`).join('&');
    const ok = await get(`${fake.url}/open-apis/drive/v1/medias/batch_get_tmp_download_url?${qs(tokens.slice(0, 5))}`, token);
    const urls = JSON.parse(ok.body.toString()).data.tmp_download_urls as { file_token: string; tmp_download_url: string }[];
    expect(urls.map((u) => u.file_token)).toEqual(tokens.slice(0, 5));
    const bytes = await get(urls[0]!.tmp_download_url, undefined);
    expect(bytes.body.equals(mediaBytes(tenant.seed, tokens[0]!, 0, 777))).toBe(true);

    const six = await get(`${fake.url}/open-apis/drive/v1/medias/batch_get_tmp_download_url?${qs(tokens)}`, token);
    expect(six.status).toBe(400);
    expect(fake.unexpected.map((u) => u.reason)).toEqual(['file_tokens must hold 1 to 5 tokens, got 6']);
    fake.unexpected.length = 0;
  });
});

describe('advanced-permission bitable attachments', () => {
  function permTenant() {
    const tenant = emptyTenant({ seed: 21 });
    const media = addMedia(tenant, { name: 'secret.png' });
    const other = addMedia(tenant);
    const app = addBitable(tenant, {
      name: 'base',
      tables: [
        { advancedPerm: true, records: [{ 名称: 'a', 附件: [media.token] }, { 名称: 'b', 附件: [other.token] }] },
        { advancedPerm: false },
      ],
    });
    return { tenant, media, other, app, table: app.tables[0]!, field: app.tables[0]!.fields[1]! };
  }

  it('needs extra: missing -> 400, another table -> 403, the server form from the record url -> 200', async () => {
    const { tenant, media, app, table } = permTenant();
    const { fake, token } = await start(tenant);
    const base = `${fake.url}/open-apis/drive/v1/medias/${media.token}/download`;
    expect((await get(base, token)).status).toBe(400);
    const wrong = encodeURIComponent(JSON.stringify({ bitablePerm: { tableId: app.tables[1]!.tableId, rev: 1 } }));
    expect((await get(`${base}?extra=${wrong}`, token)).status).toBe(403);
    const right = encodeURIComponent(JSON.stringify({ bitablePerm: { tableId: table.tableId, rev: table.revision } }));
    expect((await get(`${base}?extra=${right}`, token)).status).toBe(200);
  });

  it('accepts the attachments form only when field id -> record id -> token points at the real cell', async () => {
    const { tenant, media, table, field } = permTenant();
    const { fake, token } = await start(tenant);
    const [recA, recB] = table.records;
    const extra = (recordId: string) =>
      encodeURIComponent(
        JSON.stringify({
          bitablePerm: { tableId: table.tableId, attachments: { [field.fieldId]: { [recordId]: [media.token] } } },
        }),
      );
    const base = `${fake.url}/open-apis/drive/v1/medias/${media.token}/download`;
    expect((await get(`${base}?extra=${extra(recA!.recordId)}`, token)).status).toBe(200);
    expect((await get(`${base}?extra=${extra(recB!.recordId)}`, token)).status).toBe(403);
  });
});
