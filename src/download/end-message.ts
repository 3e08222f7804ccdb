import type { DownloadSummary } from './types.js';

/** The last line of a download run: what was done, what is left, and why it stopped. */
export function endMessage(s: DownloadSummary): string {
  const base = `Downloaded ${s.downloaded} file(s), ${s.bytesReceived} bytes in ${s.requests} request(s); ${s.left.files} left.`;
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
