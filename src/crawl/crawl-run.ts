import { SnapshotWriter } from '../archive/snapshots/writer.js';
import { archiveOf, type Config } from '../config/types.js';
import type { Logger } from '../events.js';
import type { FeishuClient } from '../feishu/client.js';
import { CheckpointRepo } from '../inventory/checkpoints.js';
import { DocumentLinkRepo } from '../inventory/document-links.js';
import { DocumentRepo } from '../inventory/documents.js';
import { MediaRefRepo } from '../inventory/media-refs.js';
import type { Db } from '../inventory/open.js';
import { SkipKeyRepo } from '../inventory/skip-keys.js';
import { UnbackableRepo } from '../inventory/unbackable.js';
import type { SourceContext } from '../sources/types.js';
import { CrawlRoots } from './roots.js';
import { Scheduler } from './scheduler.js';
import type { CrawlProgress } from './summary.js';
import { Tally } from './tally.js';
import { type Job, Visits } from './visits.js';

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
}

/** What every step of one crawl shares: its inventory, its queue, what it met and what it counted. */
export interface CrawlRun {
  readonly client: FeishuClient;
  readonly db: Db;
  readonly config: Config;
  readonly runId: number;
  readonly signal: AbortSignal | undefined;
  readonly log: Logger | undefined;
  readonly docs: DocumentRepo;
  readonly refs: MediaRefRepo;
  readonly links: DocumentLinkRepo;
  /** Media-shaped objects nothing can download (migration 0014). */
  readonly unbackable: UnbackableRepo;
  readonly checkpoints: CheckpointRepo;
  readonly skipKeys: SkipKeyRepo;
  /** `--full`: every document whose skip key says unchanged is read all the same (see full-read.ts). */
  readonly full: boolean;
  readonly snapshots: SnapshotWriter | undefined;
  readonly ctx: SourceContext;
  readonly tally: Tally;
  readonly visits: Visits;
  readonly scheduler: Scheduler;
  readonly roots: CrawlRoots;
  readonly progress: () => void;
}

export function createCrawlRun(options: CrawlOptions, processJob: (job: Job) => Promise<void>): CrawlRun {
  const { client, db, config, runId, signal, log, onProgress } = options;
  const snapshots = archiveOf(config).snapshots ? new SnapshotWriter(db, config.outputDir) : undefined;
  const tally = new Tally(client.calls);
  const docs = new DocumentRepo(db);
  const visits = new Visits(db, docs, runId, () => client.identityLabel, tally);
  const run: CrawlRun = {
    client,
    db,
    config,
    runId,
    signal,
    log,
    docs,
    refs: new MediaRefRepo(db),
    links: new DocumentLinkRepo(db),
    unbackable: new UnbackableRepo(db),
    checkpoints: new CheckpointRepo(db),
    skipKeys: new SkipKeyRepo(db),
    full: options.full === true,
    snapshots,
    ctx: { client, signal, snapshots: snapshots !== undefined },
    tally,
    visits,
    scheduler: new Scheduler({
      concurrency: config.limits.crawlConcurrency,
      signal,
      take: processJob,
      metWhole: (target) => visits.metWhole(target),
      afterJob: () => run.progress(),
    }),
    get roots() {
      return roots;
    },
    progress: () => {
      if (!onProgress) return;
      onProgress(tally.progress(run.scheduler.done, run.scheduler.queued));
    },
  };
  const roots = new CrawlRoots(config.roots, run);
  return run;
}
