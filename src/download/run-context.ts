import type { Dispatcher } from 'undici';
import type { Logger } from '../events.js';
import type { FeishuClient } from '../feishu/client.js';
import type { FeishuError } from '../feishu/errors.js';
import type { MediaSource } from '../inventory/media-refs.js';
import type { MediaStates } from '../inventory/media-states.js';
import type { Db } from '../inventory/open.js';
import type { DailyQuota } from '../inventory/quota.js';
import type { Clock } from '../limits/clock.js';
import type { DaySpentDetector, SpentBy } from '../limits/day-spent.js';
import type { SlidingWindowLimiter } from '../limits/sliding-window.js';
import type { Endpoint } from './endpoints.js';
import type { ExtraChoice } from './extra-choice.js';
import type { StartGate } from './lane-scheduler.js';
import type { TmpUrls } from './tmp-urls.js';
import type { StopReason } from './types.js';

/** One download endpoint's own pacing and daily counter, shared by every worker. */
export interface Lane {
  endpoint: Endpoint;
  limiter: SlidingWindowLimiter;
  /** The lane's starts go through here (its limiter), so the scheduler knows when it waits. */
  gate: StartGate;
  /** Counts every request; for an endpoint without a daily cap the limit is never reached. */
  quota: DailyQuota;
  /** Today's calls are spent: no new request to this endpoint in this run; the others go on. */
  spent: boolean;
  /** Decides when Feishu's 1061045 on this endpoint means the day is spent. */
  daySpent: DaySpentDetector;
  /** The app may not use this endpoint (a scope only it needs): no new request to it in this run. */
  closed: boolean;
  /** Rate-limit answers so far of the files sent back to the lane's queue this run (`later`), by row id. */
  deferred: Map<number, number>;
}

/** The temporary-URL path of media (`download.via` tmp-url or auto); see lanes.ts `makeTmpPath`. */
export interface TmpPath {
  via: 'tmp-url' | 'auto';
  /** The media lane fetches through temporary URLs now (at once for tmp-url; auto: once direct is spent). */
  switched: boolean;
  /**
   * Decides when Feishu's refusals (1061045, 99991400) on this path, kept up through back-off with no
   * success between, mean the path is spent for the day (tmp-answers.ts).
   */
  daySpent: DaySpentDetector;
  /** The path was stopped for the day in this run (Feishu kept refusing it). */
  stopped?: boolean;
  /** Why the direct media day was taken as spent when `auto` switched to this path. */
  directSpentBy?: SpentBy;
  fetchLimiter: SlidingWindowLimiter;
  /** Counts temporary-URL fetches (bucket `media.tmp_download`). */
  fetchQuota: DailyQuota;
  /** The direct media counter, once the lane switched (for the summary). */
  directQuota?: DailyQuota;
  urls: TmpUrls;
}

/** What every worker of one run shares. */
export interface RunContext {
  client: FeishuClient;
  db: Db;
  outputDir: string;
  dispatcher: Dispatcher;
  /** The media lane's limiter and counter (kept for callers that know only media). */
  limiter: SlidingWindowLimiter;
  quota: DailyQuota;
  /** One lane per `media.source`. */
  lanes: Readonly<Record<MediaSource, Lane>>;
  /** Set when media may be fetched through temporary URLs. */
  tmp?: TmpPath | undefined;
  /** Marks a lane spent for the rest of the run, saying why; the run ends with 'quota' unless something worse. */
  spend: (lane: Lane, by: SpentBy) => void;
  /** The tenant's monthly API quota is spent (99991403): stops the run ('quota') for every endpoint. */
  monthlyQuota: (error: FeishuError) => void;
  states: MediaStates;
  /** Which `extra` to send first, from what this run learnt about advanced-permission tables. */
  extras: ExtraChoice;
  clock: Clock;
  log: Logger;
  /** Aborts in-flight requests: the user's signal, or a fatal error. */
  signal: AbortSignal;
  maxRetries: number;
  random: () => number;
  counters: { requests: number; bytesReceived: number };
  onBytes: (n: number) => void;
  /** Stops new files (and new requests) for `reason`; the first reason that is not 'complete' wins. */
  stop: (reason: Exclude<StopReason, 'complete'>, fatal?: { code: string; message: string }) => void;
  /** True once `stop` was called: workers take no new file. */
  stopping: () => boolean;
  /** True when in-flight files must not make another request either (quota, interrupt, fatal; not budget). */
  halted: () => boolean;
  /** Add `by-document/` entries for a published file (DownloadOptions.byDocument). @default true */
  byDocument?: boolean;
}
