import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadAll } from '../../src/download/download-all.js';
import type { DownloadLimits, DownloadSummary } from '../../src/download/types.js';
import { DailyQuota } from '../../src/inventory/quota.js';
import { startRun } from '../../src/inventory/runs.js';
import { ManualClock } from '../../src/limits/clock.js';
import { type Harness, harness, rootFolder } from '../crawl/harness.js';
import {
  addDocx,
  addDriveFile,
  addMedia,
  block,
  emptyTenant,
  type FakeFeishu,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { onVirtualTime } from '../limits/virtual-time.js';
import { mediaRow } from './helpers.js';

let fake: FakeFeishu;
let h: Harness | undefined;
let clock: ManualClock;
afterEach(() => {
  if (h) rmSync(h.config.outputDir, { recursive: true, force: true });
  h = undefined;
});

const LIMITS: DownloadLimits = {
  qps: 5,
  perDay: 10_000,
  concurrency: 2,
  dayBoundaryTimeZone: 'Asia/Shanghai',
};

/** Three images in a docx and two drive files, crawled, on a manual clock (10:00 in Shanghai). */
async function crawled(): Promise<{ images: string[]; files: string[] }> {
  clock = new ManualClock(Date.UTC(2026, 5, 1, 2));
  const tenant = emptyTenant({ seed: 45 });
  const images = [0, 1, 2].map((i) => addMedia(tenant, { name: `p${i}.png`, size: 10_000 + i }).token);
  const files = [0, 1].map((i) => addDriveFile(tenant, { name: `f${i}.pdf`, size: 5_000 + i }).token);
  addDocx(tenant, { title: 'Doc', content: images.map((t) => block.image(t)) });
  fake = await startFakeFeishu({ tenant, clock });
  h = harness(fake, [rootFolder(fake)], { clock });
  await onVirtualTime(clock, h.run());
  return { images, files };
}

function download(limits: Partial<DownloadLimits> = {}): Promise<DownloadSummary> {
  const { db, client, config } = h!;
  const run = downloadAll({
    client,
    db,
    outputDir: config.outputDir,
    runId: startRun(db, 'download'),
    limits: { ...LIMITS, ...limits },
    clock,
    random: () => 0,
  });
  return onVirtualTime(clock, run);
}

/** Times (ms) of the media.download answers that were 1061045. */
function capAnswers(): number[] {
  return fake
    .requestsTo('media.download')
    .filter((r) => r.status === 400)
    .map((r) => r.at);
}

describe("Feishu's 1061045 (over the download limit, retry later)", () => {
  it('backs off and retries a 1061045 that passes (the 5 QPS side): every file lands, the day is not spent', async () => {
    const { images } = await crawled();
    // The page: 1061045 comes with HTTP 400 or 200.
    fake.inject({ route: 'media.download', times: 2, fault: { kind: 'error', status: 400, code: 1061045 } });
    fake.inject({ route: 'media.download', times: 1, fault: { kind: 'json-200', code: 1061045 } });
    const summary = await download();
    expect(summary).toMatchObject({ stopReason: 'complete', quotaSpent: [], downloaded: 5 });
    for (const t of images) expect(mediaRow(h!.db, t).status).toBe('done');
    expect(capAnswers()).toHaveLength(2);
    expect(fake.requestsTo('media.download')).toHaveLength(6);
  });

  it('takes the day as spent only after 10 minutes of 1061045 through backoff, says so, and lets drive files go on', async () => {
    const { images, files } = await crawled();
    fake.setDailyCap('media.download', 1);
    const summary = await download();
    expect(summary.stopReason).toBe('quota');
    expect(summary.quotaSpent).toEqual(['media.download']);
    expect(summary.quotaSpentBy).toEqual({ 'media.download': 'server' });
    const answers = capAnswers();
    const streak = answers.at(-1)! - answers[0]!;
    expect(streak).toBeGreaterThanOrEqual(10 * 60_000);
    // Backoff, not hammering: at most a minute between tries, and a few dozen tries, not thousands.
    expect(streak).toBeLessThan(12 * 60_000);
    expect(answers.length).toBeLessThan(40);
    expect(images.map((t) => mediaRow(h!.db, t).status).sort()).toEqual(['done', 'pending', 'pending']);
    for (const t of files) expect(mediaRow(h!.db, t).status).toBe('done');
  });

  it('waits as long as limits.dailyCapBackoffMs says', async () => {
    await crawled();
    fake.setDailyCap('media.download', 0);
    const summary = await download({ dailyCapBackoffMs: 60_000 });
    expect(summary.quotaSpentBy).toEqual({ 'media.download': 'server' });
    const answers = capAnswers();
    expect(answers.at(-1)! - answers[0]!).toBeGreaterThanOrEqual(60_000);
    expect(answers.at(-1)! - answers[0]!).toBeLessThan(2 * 60_000);
  });

  it('takes the day as spent at the first 1061045 when our own count is near the cap, and says so', async () => {
    await crawled();
    const quota = new DailyQuota({ db: h!.db, perDay: 100, timeZone: 'Asia/Shanghai', clock });
    for (let i = 0; i < 98; i++) quota.tryReserve();
    fake.setDailyCap('media.download', 0);
    const summary = await download({ perDay: 100 });
    expect(summary.quotaSpentBy).toEqual({ 'media.download': 'counter' });
    expect(capAnswers()).toHaveLength(1);
  });
});
