import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { partPaths } from '../../src/download/part-file.js';
import type { DownloadLimits } from '../../src/download/types.js';
import type { LogEvent } from '../../src/events.js';
import { readStatus } from '../../src/inventory/status.js';
import { dayKey } from '../../src/limits/calendar-day.js';
import { harness } from '../crawl/harness.js';
import { addBitable, addMedia, emptyTenant, type FakeFeishu, startFakeFeishu } from '../fake-feishu/index.js';
import { type Env, startEnv } from './env.js';
import { mediaRow } from './helpers.js';

let env: Env | undefined;
let fake: FakeFeishu | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
  await fake?.close();
  fake = undefined;
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const LIMITS: DownloadLimits = {
  qps: 50,
  perDay: 10_000,
  concurrency: 3,
  dayBoundaryTimeZone: 'Asia/Shanghai',
};
const tokensOf = (query: Record<string, string | string[]>): string[] => {
  const t = query.file_tokens;
  return Array.isArray(t) ? t : t === undefined ? [] : [t];
};

describe('download.via: tmp-url', () => {
  it('asks for temporary URLs (at most 5 a call) and fetches them without our token, never the download endpoint', async () => {
    env = await startEnv();
    const media = Array.from({ length: 12 }, () => env!.media({ size: 4000 }));
    const summary = await env.run({ limits: { ...LIMITS, via: 'tmp-url' } });
    expect(summary).toMatchObject({ downloaded: 12 });
    expect(env.fake.requestsTo('media.download')).toHaveLength(0);
    const batches = env.fake.requestsTo('media.tmp_url');
    expect(batches.length).toBeGreaterThan(0);
    for (const b of batches) expect(tokensOf(b.query as never).length).toBeLessThanOrEqual(5);
    expect(new Set(batches.flatMap((b) => tokensOf(b.query as never)))).toEqual(
      new Set(media.map((m) => m.token)),
    );
    const fetches = env.fake.requestsTo('media.tmp_download');
    expect(fetches).toHaveLength(12);
    for (const f of fetches) expect(f.headers.authorization).toBeUndefined();
    expect(summary.requests).toBe(12 + batches.length);
    for (const m of media) {
      expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
      expect(mediaRow(env.db, m.token)).toMatchObject({ status: 'done', sha256: sha(env.bytesOf(m)) });
    }
  });

  it('asks for a new URL when the temporary host refuses one mid-file, and continues the .part with Range', async () => {
    env = await startEnv();
    const m = env.media({ size: 300_000 });
    const cut = 120_000;
    env.fake.faults.inject({ route: 'media.tmp_download', fault: { kind: 'reset', afterBytes: cut } });
    // The URL has expired by the time of the retry: the host answers 403 with a Feishu error.
    env.fake.faults.inject({
      route: 'media.tmp_download',
      fault: { kind: 'error', status: 403, code: 1061004, msg: 'forbidden: the temporary URL has expired' },
    });
    const summary = await env.run({ limits: { ...LIMITS, via: 'tmp-url' } });
    expect(summary).toMatchObject({ downloaded: 1 });
    expect(env.fake.requestsTo('media.tmp_url')).toHaveLength(2);
    const fetches = env.fake.requestsTo('media.tmp_download');
    expect(fetches.map((f) => f.status)).toEqual([200, 403, 206]);
    expect(fetches[0]!.bytesSent).toBe(cut);
    expect(fetches[2]).toMatchObject({ headers: { range: `bytes=${cut}-` }, bytesSent: 300_000 - cut });
    // The third fetch went to the new URL, not the refused one.
    expect(fetches[2]!.query).not.toEqual(fetches[1]!.query);
    expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
  });

  it('never saves a Feishu JSON error from the temporary host as the file', async () => {
    env = await startEnv();
    const m = env.media({ size: 5000 });
    env.fake.faults.inject({
      route: 'media.tmp_download',
      fault: { kind: 'json-200', code: 1061004, msg: 'expired' },
    });
    const summary = await env.run({ limits: { ...LIMITS, via: 'tmp-url' } });
    expect(summary).toMatchObject({ downloaded: 1 });
    expect(env.fake.requestsTo('media.tmp_download').map((f) => f.status)).toEqual([200, 200]);
    expect(env.fake.requestsTo('media.tmp_url')).toHaveLength(2);
    expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
    expect(existsSync(partPaths(env.outputDir, m.token).part)).toBe(false);
  });

  it('sends the `extra` of an advanced-permission table on the batch call', async () => {
    const tenant = emptyTenant({ seed: 31 });
    const file = addMedia(tenant, { name: 'guarded.png', size: 3000 });
    const app = addBitable(tenant, {
      name: 'Guarded',
      folder: null,
      tables: [{ advancedPerm: true, records: [{ 附件: [file.token] }] }],
    });
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'bitable', token: app.appToken }]);
    await h.run();
    const summary = await h.download({
      limits: {
        qps: 1000,
        perDay: 100_000,
        concurrency: 2,
        dayBoundaryTimeZone: 'Asia/Shanghai',
        via: 'tmp-url',
      },
    });
    expect(summary).toMatchObject({ downloaded: 1 });
    const batches = fake.requestsTo('media.tmp_url');
    expect(batches.at(-1)!.status).toBe(200);
    expect(JSON.parse((batches.at(-1)!.query as Record<string, string>).extra!)).toHaveProperty(
      'bitablePerm',
    );
    expect(fake.requestsTo('media.download')).toHaveLength(0);
  });
});

describe('the temporary-URL lanes', () => {
  it('paces the batch call at 5/s and the fetches at download.tmpUrlQps, each on its own (metered fake)', async () => {
    env = await startEnv({ fakeClock: true });
    const media = Array.from({ length: 12 }, () => env!.media({ size: 1000 }));
    env.fake.setRateLimit('media.tmp_url', { perSecond: 5 });
    env.fake.setRateLimit('media.tmp_download', { perSecond: 2 });
    const summary = await env.run({ limits: { ...LIMITS, concurrency: 4, via: 'tmp-url', tmpUrlQps: 2 } });
    expect(summary).toMatchObject({ downloaded: 12 });
    expect(env.fake.requestsTo('media.tmp_url').every((r) => r.status === 200)).toBe(true);
    const fetches = env.fake.requestsTo('media.tmp_download');
    expect(fetches.map((r) => r.status)).toEqual(Array(12).fill(200));
    // 2/s: twelve fetches span at least five seconds of the fake clock.
    expect(fetches.at(-1)!.at - fetches[0]!.at).toBeGreaterThanOrEqual(5000);
    for (const m of media) expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
  });
});

describe('download.via: auto', () => {
  it('goes on through temporary URLs once the direct day is spent (temporary URLs unmetered, as in the fake by default)', async () => {
    env = await startEnv();
    const media = Array.from({ length: 6 }, () => env!.media({ size: 2000 }));
    const events: LogEvent[] = [];
    const summary = await env.run({
      limits: { ...LIMITS, perDay: 2, via: 'auto' },
      log: (e) => events.push(e),
    });
    expect(summary).toMatchObject({ downloaded: 6, stopReason: 'complete' });
    expect(env.fake.requestsTo('media.download')).toHaveLength(2);
    expect(env.fake.requestsTo('media.tmp_download')).toHaveLength(4);
    expect(events.filter((e) => e.event === 'download.via.tmp_url')).toHaveLength(1);
    for (const m of media) expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
    // The inventory says which path fetched each file, and status counts today's per path.
    const via = env.db
      .prepare('SELECT fetched_via AS v, COUNT(*) AS n FROM media GROUP BY 1 ORDER BY 1')
      .all();
    expect(via).toEqual([
      { v: 'direct', n: 2 },
      { v: 'tmp-url', n: 4 },
    ]);
    const status = readStatus(env.db, {
      day: dayKey(env.clock.now(), 'Asia/Shanghai'),
      now: env.clock.now(),
      timeZone: 'Asia/Shanghai',
    });
    expect(status.fetchPaths).toEqual([
      { via: 'direct', files: 2, bytes: 4000, requests: 2 },
      {
        via: 'tmp-url',
        files: 4,
        bytes: 8000,
        requests: 4,
        batchCalls: env.fake.requestsTo('media.tmp_url').length,
      },
    ]);
  });

  it("switches when Feishu's own 1061045 says the direct day is spent", async () => {
    env = await startEnv();
    const media = Array.from({ length: 4 }, () => env!.media({ size: 2000 }));
    env.fake.setDailyCap('media.download', 1);
    const summary = await env.run({ limits: { ...LIMITS, concurrency: 1, via: 'auto' } });
    expect(summary).toMatchObject({ downloaded: 4, stopReason: 'complete' });
    // Feishu's 1061045 is backed off until it lasts (src/limits/day-spent.ts), then the day is spent.
    const direct = env.fake.requestsTo('media.download').map((r) => r.status);
    expect(direct[0]).toBe(200);
    expect(direct.slice(1).every((st) => st === 400)).toBe(true);
    expect(env.fake.requestsTo('media.tmp_download')).toHaveLength(3);
    for (const m of media) expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
  });

  it('with metered temporary URLs, backs off on 1061045, then stops that path for the day and says so', async () => {
    env = await startEnv();
    Array.from({ length: 8 }, () => env!.media({ size: 2000 }));
    env.fake.setDailyCap('media.tmp_download', 2);
    const events: LogEvent[] = [];
    const summary = await env.run({
      limits: { ...LIMITS, perDay: 2, via: 'auto' },
      log: (e) => events.push(e),
    });
    expect(summary).toMatchObject({ downloaded: 4, stopReason: 'quota' });
    expect(env.fake.requestsTo('media.download')).toHaveLength(2);
    const refused = env.fake.requestsTo('media.tmp_download').filter((r) => r.status === 400);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(events.filter((e) => e.event === 'download.retry').length).toBeGreaterThanOrEqual(4);
    // Stopped once the refusals had gone on through limits.dailyCapBackoffMinutes (10) of back-off.
    expect(events.find((e) => e.event === 'download.tmp_url.stopped')?.message).toMatch(
      /temporary-URL downloads for 10 min .* stops for today/,
    );
    expect(events.some((e) => e.event === 'download.quota.spent')).toBe(true);
    const left = env.db.prepare("SELECT COUNT(*) AS n FROM media WHERE status = 'pending'").get() as {
      n: number;
    };
    expect(left.n).toBe(4);
  });
});
