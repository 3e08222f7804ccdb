import { crawlOf } from '../config/types.js';
import { changed, diffContent, type LiveContent } from '../inventory/skip-keys.js';
import type { CrawlRun } from './crawl-run.js';
import type { FullReadReason } from './summary.js';
import type { Job } from './visits.js';

/**
 * Whether to read a document its skip key calls unchanged. The keys (bitable table `revision`, docx
 * `revision_id`, drive `modified_time`, wiki `obj_edit_time`, sheet `revision`) are not promised by
 * the docs to move on every edit, so the tool checks them itself: with `--full`, or when the
 * document's content was last read longer ago than `crawl.fullEvery`. Per document, so an
 * interrupted crawl resumes the check where it stopped, and a stale key costs at most that period.
 */
export function checkReason(run: CrawlRun, job: Job, now: number): FullReadReason | undefined {
  if (run.full) return 'flag';
  const every = crawlOf(run.config).fullEveryMs;
  if (every === null) return undefined;
  const last = run.skipKeys.lastRead(job.row.id);
  return last === undefined || now - last >= every ? 'due' : undefined;
}

/** A document read although its skip key said unchanged: what the inventory held before the read. */
export interface Check {
  skipKey: string;
  before: LiveContent;
}

export function beginCheck(run: CrawlRun, job: Job, skipKey: string, reason: FullReadReason): Check {
  run.tally.checked(reason);
  return { skipKey, before: run.skipKeys.live(job.row.id) };
}

/**
 * After the checking read is written (inside its final transaction): records a miss when the
 * references or child documents changed while the key stayed. Returns whether it did.
 */
export function endCheck(run: CrawlRun, job: Job, check: Check, contentChanged: boolean): boolean {
  const diff = diffContent(check.before, run.skipKeys.live(job.row.id), contentChanged);
  if (!changed(diff)) return false;
  run.skipKeys.recordMiss(job.row.id, run.runId, check.skipKey, diff);
  run.tally.missed();
  run.log?.({
    level: 'warn',
    event: 'crawl.skip_key.miss',
    message: `${job.target.type} ${job.target.title ?? job.target.token}: content changed while its skip key (${check.skipKey}) did not (+${diff.refsNew}/-${diff.refsGone} media references, +${diff.childrenNew}/-${diff.childrenGone} documents${diff.contentChanged ? ', content differs from its snapshot' : ''}); recorded for \`status\`.`,
    type: job.target.type,
    token: job.target.token,
  });
  return true;
}
