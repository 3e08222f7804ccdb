import { DEFAULT_RATES } from '../feishu/buckets.js';
import type { MediaSource } from '../inventory/media-refs.js';
import { DailyQuota } from '../inventory/quota.js';
import { DaySpentDetector } from '../limits/day-spent.js';
import { SlidingWindowLimiter } from '../limits/sliding-window.js';
import { ENDPOINTS } from './endpoints.js';
import { StartGate } from './lane-scheduler.js';
import type { Lane, RunContext } from './run-context.js';
import type { DownloadOptions, DownloadSummary } from './types.js';

/**
 * The lanes a download run sends its requests through, one per endpoint, each with its own pacing and
 * daily counter, and the checks on the limits that build them.
 */

/** The download limits, checked when a run starts: a bad value fails at once with what was given. */
export function checkLimits(limits: DownloadOptions['limits']): void {
  if (!Number.isFinite(limits.qps) || limits.qps <= 0) {
    throw new TypeError(`Expected \`limits.qps\` to be a finite number > 0, got ${limits.qps}`);
  }
  for (const key of ['driveQps', 'boardQps'] as const) {
    const v = limits[key];
    if (v !== undefined && (!Number.isFinite(v) || v <= 0)) {
      throw new TypeError(`Expected \`limits.${key}\` to be a finite number > 0, got ${v}`);
    }
  }
  if (!Number.isInteger(limits.concurrency) || limits.concurrency < 1) {
    throw new TypeError(`Expected \`limits.concurrency\` to be an integer >= 1, got ${limits.concurrency}`);
  }
}

/**
 * One lane per endpoint: media and drive files at `qps` (both documented at 5/s) with their own daily
 * counters; whiteboards at `boardQps`, counted but uncapped (no daily cap is documented).
 */
export function makeLanes(options: DownloadOptions, clock: RunContext['clock']): Record<MediaSource, Lane> {
  const { limits } = options;
  const lane = (source: MediaSource, qps: number, perDay: number): Lane => {
    const limiter = limiterFor(qps, clock);
    return {
      endpoint: ENDPOINTS[source],
      limiter,
      gate: new StartGate(limiter),
      quota: new DailyQuota({
        db: options.db,
        bucket: ENDPOINTS[source].bucket,
        perDay,
        timeZone: limits.dayBoundaryTimeZone,
        clock,
      }),
      spent: false,
      daySpent: new DaySpentDetector({
        clock,
        ...(limits.dailyCapBackoffMs === undefined ? {} : { patienceMs: limits.dailyCapBackoffMs }),
      }),
      closed: false,
      deferred: new Map(),
    };
  };
  return {
    media: lane('media', limits.qps, limits.perDay),
    drive_file: lane('drive_file', limits.driveQps ?? limits.qps, limits.drivePerDay ?? limits.perDay),
    board: lane('board', limits.boardQps ?? DEFAULT_RATES['board.image'], Number.MAX_SAFE_INTEGER),
  };
}

/** Today's use of the endpoints that have a daily cap. */
export function cappedUsage(lanes: Record<MediaSource, Lane>): DownloadSummary['quotas'] {
  return Object.values(lanes)
    .filter((l) => l.endpoint.dailyCap)
    .map((l) => l.quota.usage());
}

/**
 * Our window is 2% wider than the limit: requests granted a second apart here can arrive less than
 * a second apart at the server (network and event-loop jitter), and its window is strict too.
 */
const WINDOW_GUARD = 1.02;

/**
 * At most `qps` starts in any sliding (1.02) second, spread evenly (5/s: about one every 204 ms) rather
 * than in bursts of 5, so jitter cannot bunch a burst into the server's next window (measured: bursts
 * drew 429s at 50/s). Spacing follows a schedule, so a late timer does not slow every later request.
 */
function limiterFor(qps: number, clock: RunContext['clock']): SlidingWindowLimiter {
  return new SlidingWindowLimiter({
    limit: Math.max(1, Math.floor(qps)),
    windowMs: 1000 * WINDOW_GUARD * (Math.max(1, Math.floor(qps)) / qps),
    spacingMs: (1000 / qps) * WINDOW_GUARD,
    clock,
  });
}
