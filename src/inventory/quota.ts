import { assertTimeZone, dayKey, nextDayStart } from '../limits/calendar-day.js';
import type { Clock } from '../limits/clock.js';
import type { Db } from './open.js';

/** The `quota_usage.bucket` of media downloads. */
export const MEDIA_DOWNLOAD_BUCKET = 'media.download';

export interface QuotaOptions {
  db: Db;
  /** @default MEDIA_DOWNLOAD_BUCKET */
  bucket?: string;
  /** Requests allowed per day. */
  perDay: number;
  /** IANA zone whose midnight starts a new day. */
  timeZone: string;
  clock: Clock;
}

export interface QuotaUsage {
  bucket: string;
  /** `YYYY-MM-DD` in the configured zone. */
  day: string;
  used: number;
  limit: number;
  remaining: number;
  /** Epoch ms when the next day starts. */
  resetsAt: number;
}

/**
 * A daily request budget stored in the inventory, so it survives restarts and is shared by every run
 * (and every process) on that inventory. A request is reserved before it is sent, by one atomic
 * statement that checks and increments, so two processes cannot both take the last slot. Requests
 * that fail still count: the server counts them too.
 */
export class DailyQuota {
  readonly bucket: string;
  readonly perDay: number;
  readonly timeZone: string;
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #reserve;
  readonly #read;

  constructor(options: QuotaOptions) {
    if (!Number.isInteger(options.perDay) || options.perDay < 0) {
      throw new TypeError(`Expected \`perDay\` to be an integer >= 0, got ${options.perDay}`);
    }
    assertTimeZone(options.timeZone);
    this.bucket = options.bucket ?? MEDIA_DOWNLOAD_BUCKET;
    this.perDay = options.perDay;
    this.timeZone = options.timeZone;
    this.#db = options.db;
    this.#clock = options.clock;
    // One statement: the insert-or-increment happens only while under the cap, atomically.
    this.#reserve = this.#db.prepare<{ bucket: string; day: string; limit: number }, { used: number }>(
      `INSERT INTO quota_usage (bucket, day, used) VALUES (@bucket, @day, 1)
       ON CONFLICT (bucket, day) DO UPDATE SET used = used + 1 WHERE used < @limit
       RETURNING used`,
    );
    this.#read = this.#db.prepare<[string, string], { used: number }>(
      'SELECT used FROM quota_usage WHERE bucket = ? AND day = ?',
    );
  }

  /** Takes one request from today's budget; false when it is spent (nothing is taken then). */
  tryReserve(): boolean {
    if (this.perDay === 0) return false;
    const day = dayKey(this.#clock.now(), this.timeZone);
    return this.#reserve.get({ bucket: this.bucket, day, limit: this.perDay }) !== undefined;
  }

  usage(): QuotaUsage {
    const now = this.#clock.now();
    const day = dayKey(now, this.timeZone);
    const used = this.#read.get(this.bucket, day)?.used ?? 0;
    return {
      bucket: this.bucket,
      day,
      used,
      limit: this.perDay,
      remaining: Math.max(0, this.perDay - used),
      resetsAt: nextDayStart(now, this.timeZone),
    };
  }
}

/** Today's usage of a bucket, for `status`. */
export function readQuotaUsage(options: QuotaOptions): QuotaUsage {
  return new DailyQuota(options).usage();
}
