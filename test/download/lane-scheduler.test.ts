import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../src/download/endpoints.js';
import { LaneScheduler, StartGate } from '../../src/download/lane-scheduler.js';
import type { Lane } from '../../src/download/run-context.js';
import { MediaQueue } from '../../src/inventory/media-queue.js';
import type { MediaSource } from '../../src/inventory/media-refs.js';
import { migrate } from '../../src/inventory/migrate.js';
import type { Db } from '../../src/inventory/open.js';
import { DailyQuota } from '../../src/inventory/quota.js';
import { ManualClock } from '../../src/limits/clock.js';
import { DaySpentDetector } from '../../src/limits/day-spent.js';
import { SlidingWindowLimiter } from '../../src/limits/sliding-window.js';

/** Lanes over an in-memory inventory, paced on a manual clock: `qps` starts a second each, no spacing. */
function setup(files: Record<MediaSource, number>, qps: number) {
  const db: Db = new Database(':memory:');
  migrate(db);
  const add = db.prepare('INSERT INTO media (file_token, size, source) VALUES (?, ?, ?)');
  for (const [source, n] of Object.entries(files))
    for (let i = 0; i < n; i++) add.run(`${source}${i}`, i, source);
  const clock = new ManualClock(0);
  const lanes = (Object.keys(files) as MediaSource[]).map((source): Lane => {
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 1000 / qps, clock });
    return {
      endpoint: ENDPOINTS[source],
      limiter,
      gate: new StartGate(limiter),
      quota: new DailyQuota({ db, bucket: ENDPOINTS[source].bucket, perDay: 1e9, timeZone: 'UTC', clock }),
      spent: false,
      daySpent: new DaySpentDetector({ clock }),
      closed: false,
      deferred: new Map(),
    };
  });
  const scheduler = new LaneScheduler(
    lanes.map((lane, i) => ({
      lane,
      queue: new MediaQueue(db, { source: lane.endpoint.source, sameRun: i > 0 }),
    })),
    () => false,
  );
  return { db, clock, lanes, scheduler };
}

/** Runs `workers` workers to the end, moving the clock 10 ms at a time; returns each start (lane, ms). */
async function run(
  s: ReturnType<typeof setup>,
  workers: number,
  onStart: (lane: Lane, token: string, at: number) => 'ok' | 'rate-limited' = () => 'ok',
): Promise<{ source: MediaSource; token: string; at: number }[]> {
  const starts: { source: MediaSource; token: string; at: number }[] = [];
  const signal = new AbortController().signal;
  const worker = async (): Promise<void> => {
    for (let next = await s.scheduler.next(); next; next = await s.scheduler.next()) {
      const { row, lane } = next;
      for (;;) {
        await lane.gate.acquire(row.id, signal);
        starts.push({ source: lane.endpoint.source, token: row.file_token, at: s.clock.now() });
        if (onStart(lane, row.file_token, s.clock.now()) === 'ok') break;
        lane.gate.reserve(row.id);
      }
      s.scheduler.done(row, lane);
    }
  };
  let settled = false;
  const all = Promise.all(Array.from({ length: workers }, worker)).finally(() => {
    settled = true;
  });
  while (!settled) await s.clock.advance(10);
  await all;
  return starts;
}

describe('LaneScheduler', () => {
  it('runs every lane at its own pace at once, each in its queue order, with fewer workers than files', async () => {
    const s = setup({ media: 10, drive_file: 10, board: 2 }, 5);
    const starts = await run(s, 3);
    for (const source of ['media', 'drive_file', 'board'] as const) {
      const mine = starts.filter((x) => x.source === source);
      expect(mine.map((x) => x.token)).toEqual(mine.map((_, i) => `${source}${i}`));
      // Ten starts at 5/s: the last at 1.8 s, not after the other lanes' files.
      if (source !== 'board') expect(mine.at(-1)!.at).toBeLessThanOrEqual(1800 + 10);
    }
    expect(starts).toHaveLength(22);
    s.db.close();
  });

  it("gives a waiting worker another lane's file while one lane waits out a 30 s pause", async () => {
    const s = setup({ media: 3, drive_file: 10, board: 0 }, 5);
    let paused = false;
    const starts = await run(s, 2, (lane) => {
      if (lane.endpoint.source !== 'media' || paused) return 'ok';
      paused = true;
      lane.limiter.pauseUntil(s.clock.now() + 30_000);
      return 'rate-limited';
    });
    const drive = starts.filter((x) => x.source === 'drive_file');
    expect(drive).toHaveLength(10);
    expect(drive.at(-1)!.at).toBeLessThanOrEqual(1800 + 10);
    const media = starts.filter((x) => x.source === 'media');
    expect(media.map((x) => x.at)).toEqual([0, 30_000, 30_200, 30_400]);
    s.db.close();
  });

  it('hands out nothing of a spent lane and ends when only spent lanes have files', async () => {
    const s = setup({ media: 3, drive_file: 2, board: 0 }, 5);
    s.lanes[0]!.spent = true;
    const starts = await run(s, 2);
    expect(starts.map((x) => x.source)).toEqual(['drive_file', 'drive_file']);
    s.db.close();
  });
});
