import { createHash } from 'node:crypto';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadAll } from '../../src/download/download-all.js';
import { TmpUrls } from '../../src/download/tmp-urls.js';
import type { DownloadSummary } from '../../src/download/types.js';
import type { LogEvent } from '../../src/events.js';
import { DailyQuota } from '../../src/inventory/quota.js';
import { SlidingWindowLimiter } from '../../src/limits/sliding-window.js';
import { type Env, startEnv } from './env.js';
import { mediaRow, newRun, tmpUrlLimits, tokensOf } from './helpers.js';

/**
 * The temporary-URL path (download.via tmp-url | auto) when Feishu says no: a batch call refused for
 * one of its files, brief rate limits, a sustained refusal, and a URL that expires mid-file.
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/media/batch_get_tmp_download_url
 */

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const LIMITS = tmpUrlLimits(4);

describe('the batch call', () => {
  it('refused for one of its files (deleted) is asked again file by file: the others get their URLs', async () => {
    env = await startEnv();
    const media = Array.from({ length: 5 }, (_, i) =>
      env!.media({ size: 1500, ...(i === 2 ? { state: 'deleted' as const } : {}) }),
    );
    const dispatcher = new Agent();
    const urls = new TmpUrls({
      client: env.client,
      dispatcher,
      limiter: new SlidingWindowLimiter({ limit: 100, windowMs: 1000, clock: env.clock }),
      quota: new DailyQuota({
        db: env.db,
        bucket: 'media.tmp_url',
        perDay: 1000,
        timeZone: 'Asia/Shanghai',
        clock: env.clock,
      }),
      clock: env.clock,
      signal: new AbortController().signal,
    });
    // Asked for in one go, as five workers waiting for the call's slot would: one call for all five.
    const answers = await Promise.allSettled(media.map((m) => urls.url(m.token, null)));
    await dispatcher.close();
    expect(answers.map((a) => a.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((answers[2] as PromiseRejectedResult).reason).toMatchObject({ kind: 'not_found' });
    // The call that held the deleted file was refused whole; then each file was asked for alone.
    const batches = env.fake.requestsTo('media.tmp_url');
    expect(batches.map((b) => [b.status, tokensOf(b.query).length])).toEqual([
      [404, 5],
      [200, 1],
      [200, 1],
      [404, 1],
      [200, 1],
      [200, 1],
    ]);
    expect(urls.calls).toBe(6);
  });

  it('answered by a brief 429 for every file waiting in it is waited out, not taken as the day spent', async () => {
    env = await startEnv();
    const media = Array.from({ length: 8 }, () => env!.media({ size: 1000 }));
    env.fake.faults.inject({
      route: 'media.tmp_url',
      fault: { kind: 'rate-limit', resetSeconds: 1 },
      times: 2,
    });
    const events: LogEvent[] = [];
    const summary = await env.run({ limits: LIMITS, log: (e) => events.push(e) });
    expect(summary).toMatchObject({ downloaded: 8, stopReason: 'complete', quotaSpent: [] });
    expect(events.some((e) => e.event === 'download.tmp_url.stopped')).toBe(false);
    for (const m of media) expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
  });
});

describe('the temporary host', () => {
  it('ignoring Range on a resume: the same engine starts the file over and checks its SHA-256', async () => {
    env = await startEnv();
    const m = env.media({ size: 300_000 });
    env.fake.faults.inject({ route: 'media.tmp_download', fault: { kind: 'reset', afterBytes: 100_000 } });
    env.fake.faults.inject({ route: 'media.tmp_download', fault: { kind: 'ignore-range' } });
    const summary = await env.run({ limits: LIMITS });
    expect(summary).toMatchObject({ downloaded: 1 });
    const fetches = env.fake.requestsTo('media.tmp_download');
    expect(fetches[1]).toMatchObject({
      status: 200,
      bytesSent: 300_000,
      headers: { range: 'bytes=100000-' },
    });
    expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
    expect(mediaRow(env.db, m.token)).toMatchObject({
      status: 'done',
      fetched_via: 'tmp-url',
      sha256: createHash('sha256').update(env.bytesOf(m)).digest('hex'),
    });
  });

  it('answering 429 to every file in flight at once is waited out, not taken as the day spent', async () => {
    env = await startEnv();
    const media = Array.from({ length: 8 }, () => env!.media({ size: 1000 }));
    env.fake.faults.inject({
      route: 'media.tmp_download',
      fault: { kind: 'rate-limit', resetSeconds: 1 },
      times: 6,
    });
    const events: LogEvent[] = [];
    const summary = await env.run({ limits: LIMITS, log: (e) => events.push(e) });
    expect(summary).toMatchObject({ downloaded: 8, stopReason: 'complete', quotaSpent: [] });
    expect(events.some((e) => e.event === 'download.tmp_url.stopped')).toBe(false);
    expect(events.filter((e) => e.event === 'download.retry').length).toBeGreaterThanOrEqual(6);
    for (const m of media) expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
  });

  it('refusing (1061045) through limits.dailyCapBackoffMs of back-off stops the path for the day, and says so', async () => {
    env = await startEnv({ fakeClock: true });
    Array.from({ length: 6 }, () => env!.media({ size: 1000 }));
    env.fake.setDailyCap('media.tmp_download', 1);
    const events: LogEvent[] = [];
    const started = env.clock.now();
    const summary = await env.run({
      limits: { ...LIMITS, dailyCapBackoffMs: 120_000 },
      log: (e) => events.push(e),
    });
    expect(summary).toMatchObject({ downloaded: 1, stopReason: 'quota', quotaSpent: ['media.tmp_download'] });
    const refused = env.fake.requestsTo('media.tmp_download').filter((r) => r.status === 400);
    // Backed off (1 s, 2 s, 4 s... each refusal), and stopped only once two minutes of it had passed.
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused.at(-1)!.at - refused[0]!.at).toBeGreaterThanOrEqual(120_000);
    expect(env.clock.now() - started).toBeLessThan(10 * 60_000);
    const stopped = events.find((e) => e.event === 'download.tmp_url.stopped');
    expect(stopped?.message).toMatch(/1061045.*temporary URLs stops for today/);
    expect(summary.paths?.find((p) => p.via === 'tmp-url')).toMatchObject({ files: 1, stopped: true });
  });

  it('refusing the batch call (1061045) through the back-off stops the path for the day too', async () => {
    env = await startEnv({ fakeClock: true });
    Array.from({ length: 6 }, () => env!.media({ size: 1000 }));
    env.fake.setDailyCap('media.tmp_url', 1);
    const events: LogEvent[] = [];
    const summary = await env.run({
      limits: { ...LIMITS, concurrency: 1, dailyCapBackoffMs: 60_000 },
      log: (e) => events.push(e),
    });
    // The one call allowed brought the URLs of five files (one waiting, four asked for ahead).
    expect(summary).toMatchObject({ downloaded: 5, stopReason: 'quota', quotaSpent: ['media.tmp_download'] });
    expect(
      env.fake.requestsTo('media.tmp_url').filter((r) => r.status === 400).length,
    ).toBeGreaterThanOrEqual(3);
    expect(events.find((e) => e.event === 'download.tmp_url.stopped')?.message).toMatch(
      /temporary URLs stops for today/,
    );
    const left = env.db.prepare("SELECT COUNT(*) AS n FROM media WHERE status != 'done'").pluck().get();
    expect(left).toBe(1);
  });
});

describe('a URL that expires mid-file', () => {
  it('is not fetched again after its 24 hours: a new batch call, and the .part continues with Range', async () => {
    env = await startEnv({ fakeClock: true });
    const m = env.media({ size: 200_000 });
    const cut = 80_000;
    env.fake.faults.inject({ route: 'media.tmp_download', fault: { kind: 'reset', afterBytes: cut } });
    const clock = env.clock;
    const fake = env.fake;
    const run: Promise<DownloadSummary> = downloadAll({
      client: env.client,
      db: env.db,
      outputDir: env.outputDir,
      runId: newRun(env.db),
      limits: { ...LIMITS, concurrency: 1 },
      clock,
      random: () => 0,
    });
    let settled = false;
    void run.finally(() => {
      settled = true;
    });
    // The connection broke after `cut` bytes and the file waits to retry: a day passes meanwhile.
    let jumped = false;
    while (!settled) {
      if (!jumped && fake.requestsTo('media.tmp_download').length === 1 && clock.pendingSleeps > 0) {
        jumped = true;
        await clock.advance(24 * 3_600_000 + 60_000);
      } else if (clock.pendingSleeps > 0) await clock.advance(250);
      else await new Promise((r) => setTimeout(r, 2));
    }
    const summary = await run;
    expect(jumped).toBe(true);
    expect(summary).toMatchObject({ downloaded: 1 });
    expect(fake.requestsTo('media.tmp_url')).toHaveLength(2);
    const fetches = fake.requestsTo('media.tmp_download');
    // Never the expired URL (the fake would answer 403): the new one, from where the .part stopped.
    expect(fetches.map((f) => f.status)).toEqual([200, 206]);
    expect(fetches[1]).toMatchObject({ headers: { range: `bytes=${cut}-` }, bytesSent: 200_000 - cut });
    expect(fetches[1]!.query).not.toEqual(fetches[0]!.query);
    expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
  });
});
