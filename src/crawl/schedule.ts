import type { CrawlRun } from './crawl-run.js';
import { type Job, keyOf } from './visits.js';

/** Queues whole reads at once; keeps reads limited to one sheet or table for `readScoped`. */
export function schedule(run: CrawlRun, jobs: (Job | undefined)[]): void {
  for (const job of jobs) {
    if (!job || run.fatal || run.signal?.aborted) continue;
    if (job.target.scope !== undefined) run.scoped.push(job);
    else run.queue.add(() => run.processJob(job)).catch(() => undefined);
  }
}

/**
 * Scoped reads wait until every whole read is done: a document another root (a folder, a document
 * embedding it) reaches whole is read whole, which answers them, and they are dropped. The others
 * run one document at a time, as their passes share the document's checkpoint.
 */
export async function readScoped(run: CrawlRun): Promise<void> {
  const { queue, scoped, visits } = run;
  while (scoped.length > 0 && !run.fatal && !run.signal?.aborted) {
    const byDocument = new Map<string, Job[]>();
    for (const job of scoped.splice(0)) {
      const key = keyOf(job.target);
      if (visits.metWhole(job.target)) continue;
      byDocument.set(key, [...(byDocument.get(key) ?? []), job]);
    }
    for (const jobs of byDocument.values()) {
      queue
        .add(async () => {
          for (const job of jobs) await run.processJob(job);
        })
        .catch(() => undefined);
    }
    await queue.onIdle();
  }
}
