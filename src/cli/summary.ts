import type { CrawlSummary } from '../crawl/index.js';
import type { DownloadPlan, DownloadSummary } from '../download/index.js';
import type { StatusReport } from '../inventory/status.js';
import { ExitCode } from './exit-codes.js';
import { failingDocumentLines } from './failure-documents.js';
import { fetchPathLines } from './fetch-path-lines.js';
import { counted, formatBytes, formatCount, formatDuration, wrapText } from './format.js';
import { sizeDifferenceLines, unbackableLines } from './not-backed-up.js';
import { resultText } from './result-text.js';

/** What a run did, gathered for the closing summary and runs.summary_json. */
export interface RunReport {
  command: string;
  dryRun: boolean;
  durationMs: number;
  interrupted: boolean;
  crawl?: CrawlSummary;
  download?: DownloadSummary;
  /** What a download would do (dry run), or what is left (crawl alone). */
  plan?: DownloadPlan;
  /** The inventory after the run: what was found, what failed and why. */
  after: StatusReport;
  outputDir: string;
  database: string;
}

/** The exit code a run ends with; see exit-codes.ts and the README. */
export function exitCodeFor(r: Omit<RunReport, 'durationMs'>): number {
  if (r.interrupted || r.download?.stopReason === 'interrupted') return ExitCode.interrupted;
  if (r.download?.stopReason === 'fatal')
    // Bad credentials met by a download-only run: a setup problem, as for the crawl.
    return r.download.fatal?.code === 'FEISHU_CREDENTIALS' ? ExitCode.config : ExitCode.error;
  if (r.crawl?.failures.some((f) => f.root)) return ExitCode.rootUnreadable;
  if (r.download?.stopReason === 'quota' || r.crawl?.monthlyQuota) return ExitCode.quota;
  if (r.download?.stopReason === 'budget') return ExitCode.budget;
  const docErrors = r.after.documents.byStatus.error ?? 0;
  if (docErrors > 0) return ExitCode.partial;
  // Media nothing can download (no token, unknown shape) is media not backed up: see unbackable.ts.
  if ((r.after.unbackable?.total ?? 0) > 0) return ExitCode.partial;
  if (r.download) {
    const left = r.download.left;
    // "All in scope backed up" means nothing failed for good or is waiting for a retry.
    if (left.files + left.failedSkipped > 0) return ExitCode.partial;
  }
  return ExitCode.ok;
}

/** The closing summary: found, downloaded, skipped, failed (by reason, with the fix), left. */
export function renderSummary(r: RunReport, exitCode: number): string {
  const a = r.after;
  const out: string[] = [];
  const ended =
    exitCode === ExitCode.interrupted
      ? 'interrupted after'
      : exitCode === ExitCode.error
        ? 'stopped after'
        : 'finished in';
  const title = `${r.command}${r.dryRun ? ' --dry-run' : ''} ${ended} ${formatDuration(r.durationMs)}`;
  out.push(`── ${title} ${'─'.repeat(Math.max(0, 74 - title.length))}`);
  const docErrors = a.documents.byStatus.error ?? 0;
  out.push(
    row(
      'Found',
      `${counted(a.documents.count ?? a.documents.total, 'document')}, ${counted(a.media.total.count, 'media file')}` +
        (a.media.total.bytes ? ` (${formatBytes(a.media.total.bytes)} known)` : ''),
    ),
  );
  if (r.crawl) {
    const c = Object.values(r.crawl.documents).reduce(
      (t, d) => ({
        changed: t.changed + d.changed,
        unchanged: t.unchanged + d.unchanged,
        gone: t.gone + d.gone,
      }),
      { changed: 0, unchanged: 0, gone: 0 },
    );
    out.push(
      row(
        'Crawled',
        `${formatCount(c.changed)} read, ${formatCount(c.unchanged)} unchanged` +
          (c.gone ? `, ${formatCount(c.gone)} gone from Feishu (files kept)` : '') +
          `; ${formatCount(r.crawl.media.new)} new media, ` +
          (r.crawl.media.newVersions ? `${newVersionsText(r.crawl.media.newVersions)}, ` : '') +
          `${counted(r.crawl.refs.gone, 'reference')} gone`,
      ),
    );
  }
  const full = r.crawl?.fullRead;
  if (full) {
    out.push(
      row(
        '',
        `${full.reason === 'flag' ? '--full' : 'crawl.fullEvery'}: ${formatCount(full.checked)} document${full.checked === 1 ? '' : 's'} read to check the skip keys` +
          (full.misses
            ? `, ${formatCount(full.misses)} had changed while the key had not (see \`status\`)`
            : ', all as the inventory held them'),
      ),
    );
  }
  if (docErrors) out.push(row('', `${counted(docErrors, 'document')} could not be read`));
  if (r.dryRun && r.plan) {
    out.push(
      row(
        'Would fetch',
        `${counted(r.plan.files, 'file')}, ${formatBytes(r.plan.bytesKnown)}` +
          (r.plan.unknownSize ? ` + ${formatCount(r.plan.unknownSize)} of unknown size` : '') +
          (r.plan.newVersions ? `, of which ${newVersionsText(r.plan.newVersions)}` : ''),
      ),
    );
    if (r.plan.failedSkipped)
      out.push(row('', `${formatCount(r.plan.failedSkipped)} failed before; add --retry-failed`));
  }
  const d = r.download;
  if (d) {
    out.push(
      row(
        'Downloaded',
        `${counted(d.downloaded, 'file')}, ${formatBytes(d.bytesPublished)} (${counted(d.requests, 'request')})`,
      ),
    );
    const already = Math.max(0, (a.media.byStatus.done?.count ?? 0) - d.downloaded);
    out.push(row('Skipped', `${formatCount(already)} already backed up`));
  }
  const byOption = (d?.left ?? r.plan)?.skippedByOption ?? 0;
  if (byOption)
    out.push(
      row(
        d ? '' : 'Skipped',
        `${counted(byOption, 'whiteboard/drive file', 'whiteboards/drive files')} left out by option (archive.whiteboards, archive.driveFiles)`,
      ),
    );
  const gone = (d?.left ?? r.plan)?.skippedGone ?? 0;
  if (gone)
    out.push(
      row(
        d || byOption ? '' : 'Skipped',
        `${counted(gone, 'file')} left out because ${gone === 1 ? 'its document is' : 'their documents are'} gone from Feishu`,
      ),
    );
  const failures = a.failures;
  if (failures.length) {
    const total = failures.reduce((n, f) => n + f.count, 0);
    out.push(row('Failed', `${formatCount(total)} (by reason)`));
    for (const f of failures) {
      out.push(
        `    ${formatCount(f.count).padStart(6)}  ${f.subject} ${f.kind}${f.code ? ` ${f.code}` : ''}`,
      );
      out.push(...failingDocumentLines(f, '            '));
      if (f.fix) out.push(wrapText(`            fix: ${f.fix}`, 79, '                 '));
    }
  } else if (!r.dryRun) {
    out.push(row('Failed', 'none'));
  }
  out.push(...unbackableLines(a.unbackable, (t) => row('Not saved', t)));
  out.push(...sizeDifferenceLines(a.sizeDiffers, (t) => row('Sizes', t)));
  const left = d?.left ?? (r.dryRun ? undefined : r.plan);
  if (left) {
    const text = left.files
      ? `${counted(left.files, 'file')}, ${formatBytes(left.bytesKnown)} for the next run`
      : 'nothing';
    out.push(
      row(
        'Left',
        text + (left.failedSkipped ? ` (+${formatCount(left.failedSkipped)} failed for good)` : ''),
      ),
    );
  }
  const q = d?.quota;
  if (q) {
    // One counter per endpoint: media, then drive files (their own 10,000 a day).
    const counters = (d.quotas?.length ? d.quotas : [q]).map(
      (u) =>
        `${formatCount(u.remaining)} of ${formatCount(u.limit)} ${QUOTA_NAMES[u.bucket] ?? u.bucket} downloads`,
    );
    // One counter a line: two on one line made ~100 columns.
    for (const [i, c] of counters.entries()) {
      out.push(row(i === 0 ? 'Quota' : '', `${c} left${i === 0 ? ` today (${q.day})` : ''}`));
    }
  }
  // Media per path today (direct, temporary URLs), and which is stopped: see fetch-path-lines.ts.
  out.push(...fetchPathLines(d, row));
  for (const [bucket, by] of Object.entries(d?.quotaSpentBy ?? {})) {
    // The temporary-URL path says why it stopped on its Paths line.
    if (bucket === 'media.tmp_download') continue;
    const why =
      by === 'counter'
        ? 'our count reached the daily cap'
        : 'Feishu kept answering 1061045 through the backoff (limits.dailyCapBackoffMinutes)';
    out.push(
      wrapText(
        row('', `${QUOTA_NAMES[bucket] ?? bucket} downloads stopped for today: ${why}`),
        79,
        ' '.repeat(12),
      ),
    );
  }
  const monthly = r.crawl?.monthlyQuota ?? d?.monthlyQuota;
  if (monthly) {
    out.push(row('Quota', "the tenant's monthly API call quota is spent (code 99991403)"));
    out.push(wrapText(`            fix: ${monthly.fix}`, 79, '                 '));
  }
  const result = monthly ? "the tenant's monthly API calls are spent (see Quota)" : resultText(r, exitCode);
  out.push(row('Result', `${result} (exit ${exitCode})`));
  // 80 columns: every row wraps under its text; the paths below stay whole, to copy.
  const fitted = out.map((line) => wrapText(line, 79, ' '.repeat(12)));
  fitted.push(row('Files', r.outputDir));
  fitted.push(row('Inventory', r.database));
  return fitted.join('\n');
}

/** Drive files Feishu lists with a later version than the one backed up. */
export function newVersionsText(n: number): string {
  return n === 1 ? '1 new version of a drive file' : `${formatCount(n)} new versions of drive files`;
}

const QUOTA_NAMES: Record<string, string> = { 'media.download': 'media', 'drive.download': 'drive-file' };

/** One labelled line of a run summary, the text in one column whatever the label. */
export function row(label: string, text: string): string {
  return `${label.padEnd(12)}${text}`;
}
