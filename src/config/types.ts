import type { Bucket } from '../feishu/buckets.js';
import type { Target } from './target.js';

export type { Target };

import type { Root } from '../roots/types.js';

export type { Root };

export interface Limits {
  /** Media downloads per second (Feishu allows 5). @default 5 */
  downloadQps: number;
  /** Media downloads per day (Feishu allows 10,000). @default 10000 */
  downloadsPerDay: number;
  /** Downloads in flight at once. @default 4 */
  concurrency: number;
  /** Documents crawled at once; the rate limits, not latency, should bound the crawl. @default 8 */
  crawlConcurrency: number;
  /** IANA zone whose midnight resets the daily quota. @default Asia/Shanghai */
  dayBoundaryTimeZone: string;
  /**
   * Minutes Feishu's 1061045 ("over the download limit, retry later") must keep coming through backoff
   * before a download endpoint's day is taken as spent (sooner when our own count is near the cap).
   * Absent in configs built by hand: 10. @default 10
   */
  dailyCapBackoffMinutes?: number;
  /** Requests per second per bucket, overriding the defaults; `Infinity` turns pacing off. */
  rates: Partial<Record<Bucket, number>>;
}

/** What the archive holds besides the media; every part is on by default (the complete archive). */
export interface Archive {
  /** Keep each document revision's raw API content as gzip JSON under `snapshots/`. @default true */
  snapshots: boolean;
  /** Regenerate the browsable Markdown/CSV view under `view/` at the end of `backup`. @default true */
  view: boolean;
  /** Export whiteboards as images (board/v1/whiteboards/:id/download_as_image); off leaves them pending. @default true */
  whiteboards: boolean;
  /** Download files stored in the drive itself (drive/v1/files/:token/download, its own daily counter); off leaves them pending. @default true */
  driveFiles: boolean;
}

export const DEFAULT_ARCHIVE: Readonly<Archive> = {
  snapshots: true,
  view: true,
  whiteboards: true,
  driveFiles: true,
};

export interface Config {
  appId: string;
  appSecret: string;
  /** Open API base URL, no trailing slash. */
  baseUrl: string;
  roots: Root[];
  /** Absolute. */
  outputDir: string;
  /** Absolute path of the SQLite inventory. */
  database: string;
  limits: Limits;
  /** Absent in configs built by hand (tests, benchmarks): read it with `archiveOf(config)`. */
  archive?: Archive;
  /** Absent in configs built by hand: read it with `crawlOf(config)`. */
  crawl?: CrawlSettings;
  /** The S3-compatible bucket the backup is uploaded to (issue 16); absent: local only. */
  target?: Target;
  /** Absent in configs built by hand: read it with `downloadOf(config)`. */
  download?: DownloadSettings;
  /** Absolute path of the config file read, if any. */
  configFile?: string;
  /**
   * Who the backup acts as: the app (`tenant`, what is shared with it) or a signed-in person
   * (`user`: every call carries their token; see `feishu-backup login`). @default 'tenant'
   */
  auth?: 'tenant' | 'user';
  /** How `feishu-backup login` signs in. */
  login?: LoginSettings;
}

export interface LoginSettings {
  /** Port of the loopback redirect URL `http://127.0.0.1:<port>/callback`. @default 8765 */
  port: number;
  /** Scopes to ask for instead of the defaults; `offline_access` is always added. */
  scopes?: string[] | undefined;
}

/** The archive options, with the defaults where a hand-built config has none. */
export function archiveOf(config: Pick<Config, 'archive'>): Archive {
  return { ...DEFAULT_ARCHIVE, ...config.archive };
}

/** How the crawl checks the skip keys it trusts (src/crawl/full-read.ts). */
export interface CrawlSettings {
  /**
   * A full read (every document read, whatever its skip key says) when the last complete one is
   * older than this many ms; null: only with `--full`. @default 7 days
   */
  fullEveryMs: number | null;
}

export const DEFAULT_FULL_EVERY_MS = 7 * 86_400_000;

/** The crawl settings, with the defaults where a hand-built config has none. */
export function crawlOf(config: Pick<Config, 'crawl'>): CrawlSettings {
  return config.crawl ?? { fullEveryMs: DEFAULT_FULL_EVERY_MS };
}

/** How media inside documents is fetched (`download.via`); see the README, "Past 10,000 a day". */
export interface DownloadSettings {
  via: 'direct' | 'tmp-url' | 'auto';
  /** Temporary-URL fetches started per second (not documented by Feishu). @default 5 */
  tmpUrlQps: number;
}

/** The download settings, with the defaults where a hand-built config has none. */
export function downloadOf(config: Pick<Config, 'download'>): DownloadSettings {
  return config.download ?? { via: 'direct', tmpUrlQps: 5 };
}
