import type { Logger } from '../events.js';
import type { FeishuClient } from '../feishu/client.js';
import type { MediaRow } from '../inventory/media-queue.js';
import type { MediaSource } from '../inventory/media-refs.js';
import type { Db } from '../inventory/open.js';
import type { QuotaUsage } from '../inventory/quota.js';
import type { Clock } from '../limits/clock.js';
import type { FileResult } from './file-result.js';
import type { FetchPathSummary } from './path-summary.js';

export interface DownloadLimits {
  /** Download requests started per second across all workers (strict sliding window). @default 5 */
  qps: number;
  /** Download requests per day, shared by every run on the inventory. @default 10000 */
  perDay: number;
  /** Files downloaded at once. @default 4 */
  concurrency: number;
  /** IANA zone whose midnight starts a new quota day. @default 'Asia/Shanghai' */
  dayBoundaryTimeZone: string;
  /** Drive-file downloads (`drive/v1/files/:token/download`) started per second. @default qps */
  driveQps?: number;
  /** Drive-file downloads per day, counted apart from media (bucket `drive.download`). @default perDay */
  drivePerDay?: number;
  /**
   * How long Feishu's 1061045 ("over the download limit, retry later": 5 QPS or 10,000 a day) must
   * keep coming through backoff before an endpoint's day is taken as spent. @default 600000 (10 min)
   */
  dailyCapBackoffMs?: number;
  /** Whiteboard exports started per second (documented at 10/s; no daily cap). @default 10 */
  boardQps?: number;
  /**
   * How media inside documents is fetched: `direct` (its download endpoint), `tmp-url` (a batch call
   * for temporary URLs, then the URL), `auto` (direct until its day is spent). @default 'direct'
   */
  via?: 'direct' | 'tmp-url' | 'auto';
  /** Temporary-URL fetches started per second (undocumented limit). @default 5 */
  tmpUrlQps?: number;
}

export interface DownloadBudget {
  /** Files to start in this run at most. */
  maxDownloads?: number;
  /** Bytes to fetch in this run at most (checked before each new file). */
  maxBytes?: number;
  /** Epoch ms after which no new file is started. */
  deadline?: number;
}

export interface DownloadOptions {
  client: FeishuClient;
  db: Db;
  /** Where `media/` and `by-document/` live (see LAYOUT.md). */
  outputDir: string;
  runId: number;
  limits: DownloadLimits;
  budget?: DownloadBudget;
  /** Retry `failed` rows (permission, deleted, bad extra) too. */
  retryFailed?: boolean;
  /** Plan only: no request, no file written. */
  dryRun?: boolean;
  /**
   * Kinds of file left alone in this run (`archive.whiteboards: false` -> 'board',
   * `archive.driveFiles: false` -> 'drive_file'): their rows stay pending, counted as skipped by option.
   */
  skipSources?: readonly MediaSource[];
  /** @default client.clock */
  clock?: Clock;
  signal?: AbortSignal;
  log?: Logger;
  onProgress?: (p: DownloadProgress) => void;
  /** Retries of a temporary failure (5xx, reset, timeout) per file per run. @default 5 */
  maxRetries?: number;
  /** Source of randomness for backoff jitter. @default Math.random */
  random?: () => number;
  /**
   * Add `by-document/` entries for each stored file. Off with an object storage target that does not
   * keep files locally (the bucket has per-document manifests instead). @default true
   */
  byDocument?: boolean;
  /** Bounds the bytes on disk (object storage with keepLocal false): asked before each file starts. */
  staging?: DownloadStaging;
}

/**
 * A gate on local disk use: `admit` resolves once the file fits (with a reservation to give back), or
 * undefined when no room will come (then no further file starts); `finished` is told how each
 * admitted file ended, so a published one can be uploaded and removed.
 */
export interface DownloadStaging {
  admit(row: MediaRow, signal: AbortSignal): Promise<number | undefined>;
  finished(reservation: number, row: MediaRow, result: FileResult | undefined): void;
}

export interface DownloadProgress {
  /** Files to do when the run started (after the dry-run style plan). */
  filesTotal: number;
  filesDone: number;
  filesFailed: number;
  /** Bytes of files whose size the inventory knows. */
  bytesTotalKnown: number;
  /** Bytes received in this run (resumes count only the new bytes). */
  bytesReceived: number;
  inFlight: number;
  requests: number;
}

export type StopReason = 'complete' | 'quota' | 'budget' | 'interrupted' | 'fatal';

export interface FailureGroup {
  /** Error kind: permission | not_found | bad_request | temporary | protocol | ... */
  kind: string;
  /** `failed` (permanent until --retry-failed) or `error` (retried next run). */
  status: 'failed' | 'error';
  count: number;
  /** What the user should do. */
  fix: string;
  /** A few examples, for the report. */
  examples: { fileToken: string; name: string | null; message: string }[];
}

export interface DownloadPlan {
  /** Files a run would try, and the bytes of those whose size is known. */
  files: number;
  bytesKnown: number;
  unknownSize: number;
  byStatus: Record<'pending' | 'partial' | 'error' | 'failed', number>;
  /** `failed` rows left out because retryFailed is off. */
  failedSkipped: number;
  /** Bytes already in `.part` files that a resume will not fetch again. */
  bytesOnDiskPartial: number;
  /** Rows not done whose kind the options leave out (`skipSources`); not in any other count. */
  skippedByOption: number;
  /**
   * Rows not done whose every reference is gone (their documents are gone from Feishu): not fetched
   * and not in any other count, failed ones included. A crawl that finds one again queues it again.
   */
  skippedGone: number;
  /**
   * Of `files`: drive files backed up before that Feishu now lists with a later version (queued
   * again by a crawl; the copy on disk is kept when the new one arrives). Absent in summaries
   * written before migration 0011.
   */
  newVersions?: number;
}

export interface DownloadSummary {
  stopReason: StopReason;
  /** Files completed, verified and published in this run. */
  downloaded: number;
  /** Bytes received over the network in this run. */
  bytesReceived: number;
  /** Bytes of the files published in this run. */
  bytesPublished: number;
  /** Download requests sent in this run (Range requests, retries and failures included). */
  requests: number;
  failures: FailureGroup[];
  /** What is left to do for the next run (same meaning as a plan). */
  left: DownloadPlan;
  /** Today's media download counter (bucket `media.download`). */
  quota: QuotaUsage;
  /** Every daily counter, one per endpoint that has one: media, then drive files. */
  quotas: QuotaUsage[];
  /** Counters spent in this run (by our count or the server's 1061045): their files wait for tomorrow. */
  quotaSpent: string[];
  /**
   * Why each counter in `quotaSpent` was taken as spent: 'counter' (our count reached or came near the
   * cap) or 'server' (1061045 kept coming through `dailyCapBackoffMs` of backoff). Absent in older summaries.
   */
  quotaSpentBy?: Record<string, 'counter' | 'server'>;
  /** How media was to be fetched in this run (`download.via`). Absent in older summaries. */
  via?: 'direct' | 'tmp-url' | 'auto';
  /**
   * Media per fetch path today (direct, then tmp-url): files, bytes and requests of every run of the
   * day, and whether each is stopped for the day (path-summary.ts). Absent in dry runs and older summaries.
   */
  paths?: FetchPathSummary[];
  /** The tenant's monthly API quota (99991403) stopped the run: every endpoint, not one. */
  monthlyQuota?: { code: string; message: string; fix: string };
  /** The local error that stopped the run, when stopReason is 'fatal'. */
  fatal?: { code: string; message: string };
  durationMs: number;
}
