import { FeishuError } from '../feishu/errors.js';
import { type CrawlOptions, type CrawlRun, createCrawlRun } from './crawl-run.js';
import { markGoneAfterCrawl } from './mark-gone.js';
import { processJob } from './process-job.js';
import type { CrawlSummary } from './summary.js';

export type { CrawlOptions } from './crawl-run.js';

/**
 * Roots -> sources -> inventory. Documents are crawled several at a time so the rate limits, not
 * latency, bound the speed; each page is written with its checkpoint in one transaction; a document
 * whose revision has not changed is not read again (only the documents found inside it are visited).
 * Resolves with a summary; rejects only when nothing can work (bad credentials, missing scope).
 */
export async function crawl(options: CrawlOptions): Promise<CrawlSummary> {
  const run: CrawlRun = createCrawlRun(options, (job) => processJob(run, job));
  const { db, runId, signal, log, tally } = run;
  const { summary } = tally;
  const rootIds = run.roots.register();
  // While the roots' reads run: their titles, for the roots no listing names.
  await run.roots.name();
  await run.scheduler.drain();
  tally.closeCalls();
  const { fatal } = run.scheduler;
  if (fatal instanceof FeishuError && fatal.kind === 'quota') {
    // 99991403: a clean stop, not a crash. Not having looked everywhere, it marks nothing gone.
    summary.monthlyQuota = { code: fatal.code, message: fatal.message, fix: fatal.fix ?? '' };
    log?.({
      level: 'warn',
      event: 'crawl.quota.monthly',
      message: `${fatal.message}. ${fatal.fix ?? ''}`.trim(),
    });
    return summary;
  }
  if (fatal) throw fatal;
  summary.interrupted = signal?.aborted ?? false;
  // An interrupted crawl has not looked everywhere: something moved may sit where it did not look.
  if (!summary.interrupted) {
    const gone = markGoneAfterCrawl(db, runId, rootIds, log);
    for (const [type, n] of Object.entries(gone.byType)) tally.count(type, 'gone', n);
    tally.refsGone(gone.refs);
  }
  const full = summary.fullRead;
  if (full) run.skipKeys.fullReadDone(runId, full.reason, full.checked, full.misses);
  return summary;
}
