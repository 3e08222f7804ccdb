import type { Logger } from '../events.js';
import type { SpentBy } from '../limits/day-spent.js';
import type { RunContext } from './run-context.js';
import type { DownloadSummary, StopReason } from './types.js';

/**
 * What a run does when a quota ends work: a download endpoint's day (that lane stops, the others go
 * on) or the tenant's monthly API calls (the whole run stops). Both are written into the summary
 * with the reason, and logged once.
 */
export function quotaStops(
  summary: DownloadSummary,
  log: Logger,
  stop: (reason: Exclude<StopReason, 'complete'>) => void,
  onSpent: () => void = () => undefined,
): Pick<RunContext, 'spend' | 'monthlyQuota'> {
  return {
    spend: (lane, by: SpentBy) => {
      if (lane.spent) return;
      lane.spent = true;
      onSpent();
      summary.quotaSpent.push(lane.endpoint.bucket);
      summary.quotaSpentBy = { ...summary.quotaSpentBy, [lane.endpoint.bucket]: by };
      const u = lane.quota.usage();
      const why =
        by === 'counter'
          ? `our count says the daily cap is reached (${u.used}/${u.limit})`
          : `Feishu kept answering 1061045 for ${Math.round(lane.daySpent.limitedForMs() / 60_000)} min of backoff (our count: ${u.used}/${u.limit})`;
      log({
        level: 'warn',
        event: 'download.quota.spent',
        message: `Today's ${lane.endpoint.bucket} calls are spent: ${why}; its files wait for the next run, the others go on.`,
        quota: u,
        by,
      });
    },
    monthlyQuota: (error) => {
      if (!summary.monthlyQuota) {
        summary.monthlyQuota = { code: error.code, message: error.message, fix: error.fix ?? '' };
        log({
          level: 'warn',
          event: 'download.quota.monthly',
          message: `${error.message}. ${error.fix ?? ''}`.trim(),
        });
      }
      stop('quota');
    },
  };
}
