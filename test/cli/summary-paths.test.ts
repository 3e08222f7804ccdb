import { afterEach, describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/commands/status.js';
import { renderSummary } from '../../src/cli/summary.js';
import { endMessage } from '../../src/download/end-message.js';
import type { DownloadSummary } from '../../src/download/types.js';
import type { LogEvent } from '../../src/events.js';
import { finishRun } from '../../src/inventory/runs.js';
import { readStatus } from '../../src/inventory/status.js';
import { type Env, startEnv } from '../download/env.js';

/**
 * The end of a run with temporary URLs in play (download.via tmp-url | auto): per path, today's
 * files, bytes and requests, and which path is stopped for the day, in the human summary (80
 * columns), the end message and the machine-readable summary.
 */

let env: Env | undefined;

/** The human summary a `download` that ended with `code` prints, the status read after it. */
function downloadText(e: Env, summary: DownloadSummary, code: number): string {
  const after = readStatus(e.db, { day: summary.quota.day });
  return renderSummary(
    {
      command: 'download',
      dryRun: false,
      durationMs: 1000,
      interrupted: false,
      download: summary,
      after,
      outputDir: 'out',
      database: 'inv.sqlite',
    },
    code,
  );
}
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('the summary per fetch path', () => {
  it('with auto, when both paths are spent, says so for each, with what each let through today', async () => {
    env = await startEnv({ fakeClock: true });
    Array.from({ length: 8 }, () => env!.media({ size: 3000 }));
    // Direct: our count of 2 a day. Temporary URLs: Feishu meters them here, 3 a day.
    env.fake.setDailyCap('media.tmp_download', 3);
    const events: LogEvent[] = [];
    const summary = await env.run({
      limits: {
        qps: 50,
        perDay: 2,
        concurrency: 2,
        dayBoundaryTimeZone: 'Asia/Shanghai',
        via: 'auto',
        dailyCapBackoffMs: 60_000,
      },
      log: (e) => events.push(e),
    });
    expect(summary).toMatchObject({ downloaded: 5, stopReason: 'quota', via: 'auto' });
    const batchCalls = env.fake.requestsTo('media.tmp_url').length;
    const fetches = env.fake.requestsTo('media.tmp_download').length;
    // The machine-readable summary (also in `run.summary` of --json): today per path, and stopped.
    expect(summary.paths).toEqual([
      { via: 'direct', files: 2, bytes: 6000, requests: 2, stopped: true, stoppedBy: 'counter' },
      {
        via: 'tmp-url',
        files: 3,
        bytes: 9000,
        requests: fetches,
        batchCalls,
        stopped: true,
        stoppedBy: 'server',
      },
    ]);
    expect(endMessage(summary)).toMatch(
      /daily download quota is spent \(media\.download 2\/2; temporary URLs: Feishu kept refusing them\)/,
    );
    const text = downloadText(env, summary, 4);
    expect(text).toMatch(/\nPaths {7}direct: 2 files, 5\.9 KB, 2 requests today; day spent \(our count\)\n/);
    expect(text).toMatch(
      new RegExp(
        `\\n {12}temporary URLs: 3 files, 8\\.8 KB, ${fetches} fetches \\+ ${batchCalls} batch calls? today;\\s+stopped for today: Feishu kept refusing them \\(1061045/99991400\\)\\n`,
      ),
    );
    expect(text).not.toContain('media.tmp_download');
    for (const line of text.split('\n').slice(1)) expect(line.length).toBeLessThanOrEqual(79);
    // `status` later that day: the same figures, and what the run's summary found stopped.
    const runId = env.db.prepare('SELECT MAX(id) FROM runs').pluck().get() as number;
    finishRun(env.db, runId, 'done', 4, { download: summary });
    const status = renderStatus(
      readStatus(env.db, { day: summary.quota.day, now: env.clock.now(), timeZone: 'Asia/Shanghai' }),
      'inv.sqlite',
      'out',
      'Asia/Shanghai',
    );
    expect(status).toMatch(
      /\n {11}stopped for today: direct \(day spent\), temporary URLs \(Feishu kept refusing them\)\n/,
    );
  });

  it('stays out of the summary of a direct run on a day temporary URLs were not used', async () => {
    env = await startEnv();
    env.media({ size: 1000 });
    const summary = await env.run();
    expect(summary.paths).toEqual([
      { via: 'direct', files: 1, bytes: 1000, requests: 1, stopped: false },
      { via: 'tmp-url', files: 0, bytes: 0, requests: 0, batchCalls: 0, stopped: false },
    ]);
    const text = downloadText(env, summary, 0);
    expect(text).not.toContain('Paths');
  });
});
