import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/feishu/client.js';
import { FeishuError } from '../../src/feishu/errors.js';
import { ManualClock } from '../../src/limits/clock.js';
import {
  addMedia,
  emptyTenant,
  type FakeFeishu,
  generateTenant,
  mediaBytes,
  startFakeFeishu,
  type Tenant,
} from './index.js';

let fake: FakeFeishu | undefined;

const SIZE = 200_000;

async function setup(tenant: Tenant = emptyTenant({ seed: 31 }), clock?: ManualClock) {
  const media = tenant.media.size ? [...tenant.media.values()][0]! : addMedia(tenant, { size: SIZE });
  fake = await startFakeFeishu({ tenant, ...(clock ? { clock } : {}) });
  const client = new FeishuClient({
    appId: fake.appId,
    appSecret: fake.appSecret,
    baseUrl: fake.url,
    maxRetries: 0,
    ...(clock ? { clock } : {}),
  });
  const token = await client.token();
  const url = `${fake.url}/open-apis/drive/v1/medias/${media.token}/download`;
  return { fake, client, token, url, media };
}

async function download(url: string, token: string, headers: Record<string, string> = {}) {
  const res = await request(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const parts: Buffer[] = [];
  let error: unknown;
  try {
    for await (const c of res.body) parts.push(c as Buffer);
  } catch (e) {
    error = e;
  }
  return { status: res.statusCode, headers: res.headers, body: Buffer.concat(parts), error };
}

function code(body: Buffer): number {
  return JSON.parse(body.toString()).code;
}

describe('faults', () => {
  it('answers a chosen 5xx the given number of times, then recovers', async () => {
    const { fake, token, url } = await setup();
    const armed = fake.faults.inject({
      route: 'media.download',
      times: 2,
      fault: { kind: 'error', status: 503 },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await download(url, token)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(armed.hits).toBe(2);
    expect(fake.faults.pending()).toEqual([]);
  });

  it('fires on every Nth matching request and, with a probability, the same requests for the same seed', async () => {
    const { fake, token, url } = await setup();
    fake.faults.inject({ route: 'media.download', every: 3, fault: { kind: 'error', status: 500 } });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await download(url, token)).status);
    expect(statuses).toEqual([200, 200, 500, 200, 200, 500]);

    const runs: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const { fake: f, token: t, url: u } = await setup(emptyTenant({ seed: 7 }));
      f.faults.inject({
        route: 'media.download',
        probability: 0.5,
        times: 4,
        fault: { kind: 'error', status: 502 },
      });
      const seen = [];
      for (let i = 0; i < 12; i++) seen.push((await download(u, t)).status);
      runs.push(seen);
      await f.close();
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]!.filter((s) => s === 502)).toHaveLength(4);
  });

  it('resets the connection after N bytes of the body', async () => {
    const { fake, token, url } = await setup();
    fake.faults.inject({ route: 'media.download', fault: { kind: 'reset', afterBytes: 70_000 } });
    const cut = await download(url, token);
    expect(cut.error).toBeDefined();
    expect(cut.body.length).toBe(70_000);
    expect(fake.requestsTo('media.download')[0]!.bytesSent).toBe(70_000);
    // A resume from the cut gets exactly the rest.
    const rest = await download(url, token, { range: `bytes=${cut.body.length}-` });
    expect(rest.status).toBe(206);
    expect(Buffer.concat([cut.body, rest.body]).length).toBe(SIZE);
  });

  it('can ignore Range and answer 200 with the whole body', async () => {
    const { fake, token, url, media } = await setup();
    fake.faults.inject({ route: 'media.download', fault: { kind: 'ignore-range' } });
    const res = await download(url, token, { range: 'bytes=100-199' });
    expect(res.status).toBe(200);
    expect(res.headers['content-range']).toBeUndefined();
    expect(res.body.equals(mediaBytes(31, media.token, 0, SIZE))).toBe(true);
  });

  it('can answer a JSON error with status 200 where bytes were expected', async () => {
    const { fake, token, url } = await setup();
    fake.faults.inject({ route: 'media.download', fault: { kind: 'json-200', code: 1061001 } });
    const res = await download(url, token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(code(res.body)).toBe(1061001);
  });

  it('can lie in Content-Length: shorter is a clean short body, longer ends in a premature close', async () => {
    const { fake, token, url } = await setup();
    fake.faults.inject({ route: 'media.download', fault: { kind: 'lying-length', declared: 1000 } });
    const short = await download(url, token);
    expect([short.headers['content-length'], short.body.length, short.error]).toEqual([
      '1000',
      1000,
      undefined,
    ]);
    fake.faults.inject({ route: 'media.download', fault: { kind: 'lying-length', declared: SIZE + 500 } });
    const long = await download(url, token);
    expect(long.headers['content-length']).toBe(String(SIZE + 500));
    expect(long.body.length).toBe(SIZE);
    expect(long.error).toBeDefined();
  });

  it('trickles a slow body at the given rate on the fake clock', async () => {
    const clock = new ManualClock();
    const tenant = emptyTenant({ seed: 32 });
    addMedia(tenant, { size: 3000 });
    const { fake, token, url } = await setup(tenant, clock);
    fake.faults.inject({ route: 'media.download', fault: { kind: 'slow', bytesPerSecond: 1000 } });
    const res = await request(url, { headers: { authorization: `Bearer ${token}` } });
    let got = 0;
    const reading = (async () => {
      for await (const c of res.body) got += (c as Buffer).length;
    })();
    await clock.advance(1000);
    // 100 bytes per tenth of a second: after one second of fake time, about a third of the body.
    expect(got).toBeGreaterThan(500);
    expect(got).toBeLessThan(2000);
    await clock.advance(3000);
    await reading;
    expect(got).toBe(3000);
  });

  it('can answer malformed JSON, which the client reports as a protocol error', async () => {
    const { fake, client } = await setup(generateTenant({ seed: 33 }));
    fake.faults.inject({ route: 'docx.blocks', fault: { kind: 'malformed-json' } });
    const doc = [...fake.tenant.docs.values()][0]!;
    const failure = await client
      .call('docx.blocks', 'blocks', (o) =>
        client.sdk.docx.v1.documentBlock.list({ path: { document_id: doc.documentId } }, o),
      )
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FeishuError);
    expect((failure as FeishuError).kind).toBe('protocol');
  });
});

describe('frequency control', () => {
  it('answers 429 + 99991400 with x-ogw-ratelimit headers once over the per-second limit', async () => {
    const clock = new ManualClock();
    const { fake, token, url } = await setup(undefined, clock);
    fake.setRateLimit('media.download', { perSecond: 2, resetSeconds: 3 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await download(url, token)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await download(url, token);
    expect([limited.status, code(limited.body)]).toEqual([429, 99991400]);
    expect(limited.headers['x-ogw-ratelimit-limit']).toBe('2');
    expect(limited.headers['x-ogw-ratelimit-reset']).toBe('3');
    await clock.advance(3000);
    expect((await download(url, token)).status).toBe(200);
  });

  it('answers HTTP 400 + 99991400 on the docx APIs, which the client classifies as rate limited', async () => {
    const clock = new ManualClock();
    const { fake, client } = await setup(generateTenant({ seed: 34 }), clock);
    fake.setRateLimit('docx.document', { perSecond: 1 });
    const doc = [...fake.tenant.docs.values()][0]!;
    const get = () =>
      client.call('docx.document', 'doc', (o) =>
        client.sdk.docx.v1.document.get({ path: { document_id: doc.documentId } }, o),
      );
    await get();
    // The client paces itself at 5/s: move past its own window so the server's limit is what bites.
    await clock.advance(250);
    const failure = (await get().catch((e: unknown) => e)) as FeishuError;
    expect([failure.httpStatus, failure.feishuCode, failure.kind]).toEqual([400, 99991400, 'rate_limited']);
    expect(failure.retryAfterMs).toBe(1000);
  });

  it('stops downloads with 1061045 after the daily cap and allows them again the next day', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const { fake, client, token, url } = await setup(undefined, clock);
    fake.setDailyCap('media.download', 2);
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const res = await download(url, token);
      answers.push(res.status === 200 ? 200 : code(res.body));
    }
    expect(answers).toEqual([200, 200, 1061045]);
    expect(fake.remainingToday('media.download')).toBe(0);
    await clock.advance(24 * 3600_000);
    // A day later the old token has expired too.
    expect((await download(url, await client.token())).status).toBe(200);
  });
});
