import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/feishu/client.js';
import type { FeishuError } from '../../src/feishu/errors.js';
import { ManualClock } from '../../src/limits/clock.js';
import { type FakeFeishu, generateTenant, startFakeFeishu } from './index.js';

let fake: FakeFeishu | undefined;

function listRoot(client: FeishuClient) {
  return client.call('drive.list', 'list root', (o) => client.sdk.drive.v1.file.list({ params: {} }, o));
}

describe('tenant tokens', () => {
  it('rejects wrong credentials with 10014, which the client reports as a credentials problem', async () => {
    fake = await startFakeFeishu({ tenant: generateTenant() });
    const client = new FeishuClient({ appId: fake.appId, appSecret: 'wrong', baseUrl: fake.url });
    const failure = (await client.token().catch((e: unknown) => e)) as FeishuError;
    expect([failure.feishuCode, failure.kind]).toEqual([10014, 'credentials']);
    expect(failure.message).not.toContain('wrong');
  });

  it('returns the same token while more than 30 minutes remain, with its remaining life', async () => {
    const clock = new ManualClock();
    fake = await startFakeFeishu({ tenant: generateTenant(), clock });
    const ask = async () => {
      const res = await request(`${fake!.url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: fake!.appId, app_secret: fake!.appSecret }),
      });
      return (await res.body.json()) as { tenant_access_token: string; expire: number };
    };
    const first = await ask();
    expect(first.expire).toBe(7200);
    await clock.advance(60 * 60_000);
    expect(await ask()).toEqual({ ...first, expire: 3600 });
    await clock.advance(45 * 60_000);
    const renewed = await ask();
    expect(renewed.tenant_access_token).not.toBe(first.tenant_access_token);
  });

  it('makes a token expire on the fake clock after setTokenTtl, answering 99991663', async () => {
    const clock = new ManualClock();
    fake = await startFakeFeishu({ tenant: generateTenant(), clock });
    fake.setTokenTtl(60);
    const client = new FeishuClient({
      appId: fake.appId,
      appSecret: fake.appSecret,
      baseUrl: fake.url,
      clock,
    });
    const token = await client.token();
    await clock.advance(61_000);
    const res = await request(`${fake.url}/open-apis/drive/v1/files`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect([res.statusCode, ((await res.body.json()) as { code: number }).code]).toEqual([400, 99991663]);
    // The client refreshes before the end of a token's life, so it never hits that.
    await listRoot(client);
    expect(fake.requestsTo('drive.list').map((r) => r.status)).toEqual([400, 200]);
  });

  it('invalidates tokens early; the client refreshes once and succeeds', async () => {
    fake = await startFakeFeishu({ tenant: generateTenant() });
    const client = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url });
    await listRoot(client);
    fake.invalidateTokens();
    await listRoot(client);
    expect(fake.requestsTo('drive.list').map((r) => r.status)).toEqual([200, 400, 200]);
    expect(fake.requestsTo('auth')).toHaveLength(2);
  });

  it('expireTokens makes every token already handed out invalid', async () => {
    fake = await startFakeFeishu({ tenant: generateTenant() });
    const client = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url });
    await listRoot(client);
    fake.expireTokens();
    await listRoot(client);
    expect(fake.requestsTo('drive.list').map((r) => r.status)).toEqual([200, 400, 200]);
  });
});

describe('strictness', () => {
  it('answers an unknown route with a Feishu-shaped 404 and makes close() throw', async () => {
    fake = await startFakeFeishu({ tenant: generateTenant() });
    const res = await request(`${fake.url}/open-apis/drive/v2/nothing`);
    const body = (await res.body.json()) as { code: number; msg: string };
    expect(res.statusCode).toBe(404);
    expect(body.code).toBe(404);
    expect(body.msg).toContain('route not found');
    await expect(fake.close()).rejects.toThrow(
      /1 unexpected request.*\n.*GET \/open-apis\/drive\/v2\/nothing: no route/,
    );
  });

  it('records a page_size over the documented limit and an undocumented parameter as unexpected', async () => {
    fake = await startFakeFeishu({ tenant: generateTenant() });
    const client = new FeishuClient({
      appId: fake.appId,
      appSecret: fake.appSecret,
      baseUrl: fake.url,
      maxRetries: 0,
    });
    const over = await client
      .call('wiki.spaces', 'spaces', (o) => client.sdk.wiki.v2.space.list({ params: { page_size: 51 } }, o))
      .catch((e: unknown) => e as FeishuError);
    expect((over as FeishuError).feishuCode).toBe(99992402);
    await client
      .request('drive.list', { method: 'GET', url: '/open-apis/drive/v1/files', params: { pageToken: 'x' } })
      .catch(() => undefined);
    expect(fake.unexpected.map((u) => u.reason)).toEqual([
      'page_size must be an integer in [1, 50], got "51"',
      'unknown query parameter "pageToken"',
    ]);
    fake.unexpected.length = 0;
  });

  it('refuses a page token replayed on another listing', async () => {
    const tenant = generateTenant({ folders: 2, docxPerFolder: 4 });
    fake = await startFakeFeishu({ tenant });
    const client = new FeishuClient({
      appId: fake.appId,
      appSecret: fake.appSecret,
      baseUrl: fake.url,
      maxRetries: 0,
    });
    const [a, b] = [...tenant.drive.values()].filter((e) => e.type === 'folder');
    const page = await client.call<{ next_page_token?: string }>('drive.list', 'a', (o) =>
      client.sdk.drive.v1.file.list({ params: { folder_token: a!.token, page_size: 2 } }, o),
    );
    await client
      .call('drive.list', 'b', (o) =>
        client.sdk.drive.v1.file.list(
          { params: { folder_token: b!.token, page_token: page.next_page_token! } },
          o,
        ),
      )
      .catch(() => undefined);
    expect(fake.unexpected).toHaveLength(1);
    expect(fake.unexpected[0]!.reason).toMatch(/was not issued for this listing/);
    fake.unexpected.length = 0;
  });
});
