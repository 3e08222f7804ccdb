import { counted, formatBytes, formatCount } from '../units.js';
import type { DownloadPlan, DownloadSummary } from './types.js';

/**
 * The first line of a download run, within 80 columns even for millions of files and terabytes:
 * "Downloading 1,234,567 files (1023 GB known) at 5/s; 10,000 requests left today."
 */
export function startMessage(plan: DownloadPlan, qps: number, requestsLeft: number): string {
  return `Downloading ${counted(plan.files, 'file')} (${formatBytes(plan.bytesKnown)} known) at ${qps}/s; ${counted(requestsLeft, 'request')} left today.`;
}

/** The last line of a download run: what was done, what is left, and why it stopped. */
export function endMessage(s: DownloadSummary): string {
  const base = `Downloaded ${counted(s.downloaded, 'file')}, ${formatBytes(s.bytesReceived)} in ${counted(s.requests, 'request')}; ${formatCount(s.left.files)} left.`;
  switch (s.stopReason) {
    case 'quota': {
      if (s.monthlyQuota) return `${base} Stopped: ${s.monthlyQuota.message}. ${s.monthlyQuota.fix}`;
      const spent = s.quotas.filter((q) => s.quotaSpent.includes(q.bucket));
      const q = spent[0] ?? s.quota;
      const parts = spent.map((u) => `${u.bucket} ${u.used}/${u.limit}`);
      // `auto` went on through temporary URLs after the direct day, and Feishu refused those too.
      const direct = s.paths?.find((p) => p.via === 'direct');
      if (direct?.stopped && !s.quotaSpent.includes('media.download')) {
        const u = s.quotas.find((x) => x.bucket === 'media.download');
        parts.push(`media.download ${u ? `${u.used}/${u.limit}` : 'spent'}`);
      }
      if (s.paths?.find((p) => p.via === 'tmp-url')?.stopped) {
        parts.push('temporary URLs: Feishu kept refusing them');
      }
      const which = parts.join('; ') || `${q.used}/${q.limit}`;
      return `${base} The daily download quota is spent (${which}); run again after ${new Date(q.resetsAt).toISOString()}.`;
    }
    case 'budget':
      return `${base} Stopped at this run's budget.`;
    case 'interrupted':
      return `${base} Interrupted; partial files resume next run.`;
    case 'fatal':
      return `${base} Stopped: ${s.fatal?.message ?? 'fatal error'}`;
    default:
      return base;
  }
}
