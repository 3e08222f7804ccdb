import type { FoundRef } from '../inventory/media-refs.js';
import type { Unbackable } from '../inventory/unbackable.js';
import type { Target } from '../sources/types.js';
import type { CrawlRun } from './crawl-run.js';
import type { Job } from './visits.js';

/**
 * Records one page of a document, its references and the documents it lists, in one transaction with
 * `next` (which moves the checkpoint past it); returns the jobs for the documents it asks to read.
 */
export function writePage(
  run: CrawlRun,
  job: Job,
  pageRefs: FoundRef[],
  children: Target[],
  next: () => void,
  unbackable: readonly Unbackable[] = [],
): (Job | undefined)[] {
  return run.db.transaction(() => {
    run.tally.refs(pageRefs.length, run.refs.record(job.row.id, pageRefs, run.runId));
    if (unbackable.length) {
      run.unbackable.record(job.row.id, unbackable, run.runId);
      run.tally.unbackable(unbackable.length);
    }
    const jobs = children.map((c) => {
      const child = run.visits.meet(c, job.row.id, job.row.root_id ?? undefined);
      // Listed on a page read now, so found here now (children revisited from the inventory are not).
      // A synced block can name its own document as the source: no link to itself.
      if (child.id !== job.row.id) run.links.see(job.row.id, child.id, run.runId, c.via);
      return child.job;
    });
    next();
    return jobs;
  })();
}
