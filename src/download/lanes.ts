import { DEFAULT_RATES } from '../feishu/buckets.js';
import type { MediaSource } from '../inventory/media-refs.js';
import { DailyQuota } from '../inventory/quota.js';
import { DaySpentDetector } from '../limits/day-spent.js';
import { SlidingWindowLimiter } from '../limits/sliding-window.js';
import { ENDPOINTS, TMP_MEDIA } from './endpoints.js';
import { StartGate } from './lane-scheduler.js';
import type { Lane, RunContext, TmpPath } from './run-context.js';
import { TmpUrls } from './tmp-urls.js';
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
  if (limits.tmpUrlQps !== undefined && (!Number.isFinite(limits.tmpUrlQps) || limits.tmpUrlQps <= 0)) {
    throw new TypeError(`Expected \`limits.tmpUrlQps\` to be a finite number > 0, got ${limits.tmpUrlQps}`);
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

/**
 * The temporary-URL path of media (`via` tmp-url or auto): the batch call and the URL fetches each
 * with their own pace and counter (buckets `media.tmp_url` and `media.tmp_download`), uncapped
 * because Feishu documents no daily figure for either; a refusal from Feishu stops the path instead.
 */
export function makeTmpPath(
  options: DownloadOptions,
  clock: RunContext['clock'],
  run: { dispatcher: RunContext['dispatcher']; signal: AbortSignal; onRequest: () => void },
): TmpPath | undefined {
  const via = options.limits.via ?? 'direct';
  if (via === 'direct') return undefined;
  const counter = (bucket: string) =>
    new DailyQuota({
      db: options.db,
      bucket,
      perDay: Number.MAX_SAFE_INTEGER,
      timeZone: options.limits.dayBoundaryTimeZone,
      clock,
    });
  return {
    via,
    switched: false,
    daySpent: new DaySpentDetector({
      clock,
      ...(options.limits.dailyCapBackoffMs === undefined
        ? {}
        : { patienceMs: options.limits.dailyCapBackoffMs }),
    }),
    fetchLimiter: limiterFor(options.limits.tmpUrlQps ?? DEFAULT_RATES['media.tmp_download'], clock),
    fetchQuota: counter(TMP_MEDIA.bucket),
    urls: new TmpUrls({
      client: options.client,
      dispatcher: run.dispatcher,
      limiter: limiterFor(DEFAULT_RATES['media.tmp_url'], clock),
      quota: counter('media.tmp_url'),
      clock,
      signal: run.signal,
      onRequest: run.onRequest,
    }),
  };
}

/** From now on the media lane fetches through temporary URLs, at their pace and on their counter. */
export function useTmpUrls(lane: Lane, tmp: TmpPath): void {
  tmp.switched = true;
  tmp.directQuota = lane.quota;
  lane.endpoint = TMP_MEDIA;
  lane.limiter = tmp.fetchLimiter;
  lane.gate.use(tmp.fetchLimiter);
  lane.quota = tmp.fetchQuota;
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
