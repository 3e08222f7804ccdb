import type { DownloadSummary } from './types.js';

/** The last line of a download run: what was done, what is left, and why it stopped. */
export function endMessage(s: DownloadSummary): string {
  const base = `Downloaded ${s.downloaded} file(s), ${s.bytesReceived} bytes in ${s.requests} request(s); ${s.left.files} left.`;
  switch (s.stopReason) {
    case 'quota': {
      if (s.monthlyQuota) return `${base} Stopped: ${s.monthlyQuota.message}. ${s.monthlyQuota.fix}`;
      const spent = s.quotas.filter((q) => s.quotaSpent.includes(q.bucket));
      const q = spent[0] ?? s.quota;
      const which = spent.map((u) => `${u.bucket} ${u.used}/${u.limit}`).join(', ') || `${q.used}/${q.limit}`;
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
