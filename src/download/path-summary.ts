import { type FetchPathUsage, readFetchPaths } from '../inventory/fetch-paths.js';
import type { Db } from '../inventory/open.js';
import { dayKey } from '../limits/calendar-day.js';
import type { SpentBy } from '../limits/day-spent.js';
import type { TmpPath } from './run-context.js';
import type { DownloadSummary } from './types.js';

/** One fetch path of media in a run's summary: today's figures, and whether it is stopped for the day. */
export interface FetchPathSummary extends FetchPathUsage {
  /** No more media through this path today (this run found its day spent, or Feishu kept refusing it). */
  stopped: boolean;
  /**
   * Why: 'counter' (our count reached the daily cap), 'server' (Feishu's 1061045, or on the
   * temporary path its refusals, kept coming through `limits.dailyCapBackoffMinutes` of back-off).
   */
  stoppedBy?: SpentBy;
}

/**
 * Today's media per path (direct, tmp-url) for the end of a run: what Feishu let through today on
 * each, from the inventory (every run of the day, not only this one), and which this run found
 * stopped. Whether temporary URLs count against the 10,000 a day is not documented: these figures,
 * from a real tenant, tell (README, "Past 10,000 a day").
 */
export function pathSummary(
  db: Db,
  at: { now: number; timeZone: string },
  summary: Pick<DownloadSummary, 'quotaSpent' | 'quotaSpentBy'>,
  tmp: TmpPath | undefined,
): FetchPathSummary[] {
  const usage = readFetchPaths(db, dayKey(at.now, at.timeZone), at.now, at.timeZone);
  return usage.map((u): FetchPathSummary => {
    if (u.via === 'direct') {
      // `auto` switched: the direct day is spent although its lane goes on (through temporary URLs).
      const by = tmp?.directSpentBy ?? summary.quotaSpentBy?.['media.download'];
      const stopped = tmp?.directSpentBy !== undefined || summary.quotaSpent.includes('media.download');
      return { ...u, stopped, ...(stopped && by ? { stoppedBy: by } : {}) };
    }
    const stopped = tmp?.stopped === true;
    return { ...u, stopped, ...(stopped ? { stoppedBy: 'server' as const } : {}) };
  });
}
