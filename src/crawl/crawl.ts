import { SnapshotWriter } from '../archive/snapshots/writer.js';
import { archiveOf, type Config, crawlOf } from '../config/types.js';
import type { Logger } from '../events.js';
import type { FeishuClient } from '../feishu/client.js';
import { FeishuError } from '../feishu/errors.js';
import { DocumentRepo } from '../inventory/documents.js';
import type { Db } from '../inventory/open.js';
import type { SourceContext } from '../sources/types.js';
import { keepOldGenerationTight } from '../v8-memory.js';
import { DocumentReader } from './document-reader.js';
import { FullRead } from './full-read.js';
import { JobTaker } from './job-taker.js';
import { markGoneAfterCrawl } from './mark-gone.js';
import { PassWriter } from './pass-writer.js';
import { RevisionCheck } from './revision-check.js';
import { CrawlRoots } from './roots.js';
import { Scheduler } from './scheduler.js';
import type { CrawlProgress, CrawlSummary } from './summary.js';
import { Tally } from './tally.js';
import { Visits } from './visits.js';

export interface CrawlOptions {
  client: FeishuClient;
  db: Db;
  config: Config;
  runId: number;
  signal?: AbortSignal | undefined;
  log?: Logger | undefined;
  onProgress?: ((p: CrawlProgress) => void) | undefined;
  /** `--full`: read every document, whatever its skip key says (see full-read.ts). @default false */
  full?: boolean | undefined;
  /** Whole reads waiting to start above which listings wait (src/crawl/scheduler.ts). @default BACKLOG_BOUND */
  backlogBound?: number | undefined;
}

/**
 * Roots -> sources -> inventory. Documents are crawled several at a time so the rate limits, not
 * latency, bound the speed; each page is written with its checkpoint in one transaction; a document
 * whose revision has not changed is not read again (only the documents found inside it are visited).
 * Resolves with a summary; rejects only when nothing can work (bad credentials, missing scope).
 */
export async function crawl(options: CrawlOptions): Promise<CrawlSummary> {
  // Peak memory that does not grow with the tenant's size (see v8-memory.ts); V8's own afterwards.
  const restore = keepOldGenerationTight();
  try {
    return await crawlTight(options);
  } finally {
    restore();
  }
}

async function crawlTight(options: CrawlOptions): Promise<CrawlSummary> {
  const { db, runId, signal, log } = options;
  const { tally, scheduler, roots, fullRead } = assemble(options);
  const rootIds = roots.register();
  // While the roots' reads run: their titles, for the roots no listing names.
  await roots.name();
  await scheduler.drain();
  tally.closeCalls();
  const backlog = scheduler.backlog;
  log?.({
    level: 'debug',
    event: 'crawl.backlog',
    message: `At most ${backlog.max} documents waited to be read at once (listings wait above ${backlog.bound}).`,
    ...backlog,
  });
  const { fatal } = scheduler;
  if (fatal instanceof FeishuError && fatal.kind === 'quota') {
    // 99991403: a clean stop, not a crash. Not having looked everywhere, it marks nothing gone.
    tally.monthlyQuota({ code: fatal.code, message: fatal.message, fix: fatal.fix ?? '' });
    log?.({
      level: 'warn',
      event: 'crawl.quota.monthly',
      message: `${fatal.message}. ${fatal.fix ?? ''}`.trim(),
    });
    return tally.summary;
  }
  if (fatal) throw fatal;
  const interrupted = signal?.aborted ?? false;
  tally.interrupted(interrupted);
  // An interrupted crawl has not looked everywhere: something moved may sit where it did not look.
  if (!interrupted) {
    const gone = markGoneAfterCrawl(db, runId, rootIds, log);
    for (const [type, n] of Object.entries(gone.byType)) tally.count(type, 'gone', n);
    tally.refsGone(gone.refs);
  }
  fullRead.finish();
  return tally.summary;
}

/** Builds the parts of one crawl, each given only what it uses. */
function assemble(options: CrawlOptions): {
  tally: Tally;
  scheduler: Scheduler;
  roots: CrawlRoots;
  fullRead: FullRead;
} {
  const { client, db, config, runId, signal, log, onProgress } = options;
  const snapshots = archiveOf(config).snapshots ? new SnapshotWriter(db, config.outputDir) : undefined;
  const ctx: SourceContext = { client, signal, snapshots: snapshots !== undefined };
  const docs = new DocumentRepo(db);
  const tally = new Tally(client.calls);
  const visits = new Visits(db, docs, runId, () => client.identityLabel, tally);
  const progress = (): void => {
    if (onProgress) onProgress(tally.progress(scheduler.done, scheduler.queued));
  };
  const scheduler: Scheduler = new Scheduler({
    concurrency: config.limits.crawlConcurrency,
    signal,
    take: (job) => jobs.take(job),
    metWhole: (target) => visits.metWhole(target),
    afterJob: progress,
    backlogBound: options.backlogBound,
  });
  const fullRead = new FullRead({
    full: options.full === true,
    everyMs: crawlOf(config).fullEveryMs,
    db,
    runId,
    tally,
    log,
  });
  const writer = new PassWriter({ db, runId, docs, visits, tally });
  const reader = new DocumentReader({
    ctx,
    revisions: new RevisionCheck({ ctx, docs, runId, snapshots, fullRead }),
    fullRead,
    writer,
    snapshots: { db, snapshots, runId, log },
    visits,
    scheduler,
    tally,
    afterPage: progress,
  });
  const roots = new CrawlRoots(config.roots, { db, docs, runId, ctx, visits, scheduler, tally, log });
  const jobs = new JobTaker({ db, docs, reader, writer, roots, scheduler, tally, signal, log });
  return { tally, scheduler, roots, fullRead };
}
