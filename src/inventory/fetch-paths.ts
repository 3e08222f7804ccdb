import { nextDayStart } from '../limits/calendar-day.js';
import type { Db } from './open.js';

/**
 * Today's downloads of media inside documents per path (migration 0020): `direct` (the download
 * endpoint, bucket `media.download`) and `tmp-url` (batch_get_tmp_download_url, bucket
 * `media.tmp_url`, then the URL itself, bucket `media.tmp_download`). Feishu does not document whether
 * temporary-URL fetches count against its 10,000 downloads a day: these figures, from a real tenant,
 * tell (see "Past 10,000 a day" in the README).
 */
export interface FetchPathUsage {
  via: 'direct' | 'tmp-url';
  /** Files published today through this path, and their bytes. */
  files: number;
  bytes: number;
  /** Requests sent today: the download calls (direct) or the URL fetches (tmp-url). */
  requests: number;
  /** tmp-url only: batch_get_tmp_download_url calls sent today (up to 5 files each). */
  batchCalls?: number;
  /** A run that started today found this path stopped for the day (its summary's `download.paths`). */
  stoppedToday?: boolean;
}

/** Today's use per path; `now` and `timeZone` cut the day as the download counters do. */
export function readFetchPaths(db: Db, day: string, now: number, timeZone: string): FetchPathUsage[] {
  const start = new Date(todayStart(now, timeZone)).toISOString();
  const done = new Map(
    (
      db
        .prepare(
          `SELECT fetched_via AS via, COUNT(*) AS files, COALESCE(SUM(bytes_on_disk), 0) AS bytes FROM media
            WHERE fetched_via IS NOT NULL AND downloaded_at >= ? AND source = 'media' GROUP BY fetched_via`,
        )
        .all(start) as { via: string; files: number; bytes: number }[]
    ).map((r) => [r.via, r]),
  );
  const used = (bucket: string): number =>
    (db.prepare('SELECT used FROM quota_usage WHERE bucket = ? AND day = ?').pluck().get(bucket, day) as
      | number
      | undefined) ?? 0;
  // What today's runs found (runs.summary_json, `download.paths[].stopped`), for `status`.
  const stopped = new Set(
    db
      .prepare(
        `SELECT DISTINCT json_extract(p.value, '$.via') FROM runs, json_each(runs.summary_json, '$.download.paths') AS p
          WHERE runs.started_at >= ? AND json_valid(runs.summary_json) AND json_extract(p.value, '$.stopped') = 1`,
      )
      .pluck()
      .all(start) as string[],
  );
  const flag = (via: string) => (stopped.has(via) ? { stoppedToday: true } : {});
  return [
    {
      via: 'direct',
      files: done.get('direct')?.files ?? 0,
      bytes: done.get('direct')?.bytes ?? 0,
      requests: used('media.download'),
      ...flag('direct'),
    },
    {
      via: 'tmp-url',
      files: done.get('tmp-url')?.files ?? 0,
      bytes: done.get('tmp-url')?.bytes ?? 0,
      requests: used('media.tmp_download'),
      batchCalls: used('media.tmp_url'),
      ...flag('tmp-url'),
    },
  ];
}

/** The start of the day `now` is in (a day lasts 23 to 25 hours, so 36 hours before its end is the day before). */
function todayStart(now: number, timeZone: string): number {
  return nextDayStart(nextDayStart(now, timeZone) - 36 * 3_600_000, timeZone);
}
