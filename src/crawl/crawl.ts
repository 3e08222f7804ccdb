import PQueue from 'p-queue';
import { type DocumentSnapshot, SnapshotIncompleteError } from '../archive/snapshots/stage.js';
import { SnapshotWriter } from '../archive/snapshots/writer.js';
import { archiveOf, type Config } from '../config/types.js';
import { asLocalFatal } from '../download/local-errors.js';
import type { Logger } from '../events.js';
import type { FeishuClient } from '../feishu/client.js';
import { FeishuError } from '../feishu/errors.js';
import { type Checkpoint, CheckpointRepo } from '../inventory/checkpoints.js';
import { DocumentLinkRepo } from '../inventory/document-links.js';
import { DocumentRepo, type DocumentRow } from '../inventory/documents.js';
import { type FoundRef, MediaRefRepo } from '../inventory/media-refs.js';
import type { Db } from '../inventory/open.js';
import { setRootDocument, upsertRoot } from '../inventory/roots.js';
import { SOURCES, UNSUPPORTED_REASONS } from '../sources/registry.js';
import type { DocType, Source, SourceContext, Target } from '../sources/types.js';
import { markGoneAfterCrawl } from './mark-gone.js';
import { rootTarget } from './root-target.js';
import { type CrawlProgress, type CrawlSummary, emptyCounts } from './summary.js';

export interface CrawlOptions {
  client: FeishuClient;
  db: Db;
  config: Config;
  runId: number;
  signal?: AbortSignal | undefined;
  log?: Logger | undefined;
  onProgress?: ((p: CrawlProgress) => void) | undefined;
}

interface Job {
  target: Target;
  row: DocumentRow;
}

/**
 * Roots -> sources -> inventory. Documents are crawled several at a time so the rate limits, not
 * latency, bound the speed; each page is written with its checkpoint in one transaction; a document
 * whose revision has not changed is not read again (only the documents found inside it are visited).
 * Resolves with a summary; rejects only when nothing can work (bad credentials, missing scope).
 */
export async function crawl(options: CrawlOptions): Promise<CrawlSummary> {
  const { client, db, config, runId, signal, log, onProgress } = options;
  const docs = new DocumentRepo(db);
  const refs = new MediaRefRepo(db);
  const links = new DocumentLinkRepo(db);
  const checkpoints = new CheckpointRepo(db);
  const snapshots = archiveOf(config).snapshots ? new SnapshotWriter(db, config.outputDir) : undefined;
  const ctx: SourceContext = { client, signal, snapshots: snapshots !== undefined };
  const callsBefore = new Map(client.calls);
  const summary: CrawlSummary = {
    documents: {},
    failures: [],
    refs: { found: 0, new: 0, gone: 0 },
    media: { new: 0 },
    calls: {},
    interrupted: false,
  };
  const counts = (type: string) => (summary.documents[type] ??= emptyCounts());
  const queue = new PQueue({ concurrency: config.limits.crawlConcurrency });
  /** `type:token` -> document id, for every document this run met. */
  const visited = new Map<string, number>();
  let fatal: unknown;
  let done = 0;

  const progress = (): void => {
    if (!onProgress) return;
    let calls = 0;
    for (const [bucket, n] of client.calls) calls += n - (callsBefore.get(bucket) ?? 0);
    onProgress({
      documentsDone: done,
      documentsQueued: queue.size + queue.pending,
      refsFound: summary.refs.found,
      newMedia: summary.media.new,
      calls,
    });
  };

  /** Records a document the first time this run meets it; synchronous so it can join a page's transaction. */
  const discover = (
    target: Target,
    parentId: number | undefined,
    rootId: number | undefined,
  ): Job | undefined => {
    const key = `${target.type}:${target.token}`;
    if (visited.has(key)) return undefined;
    counts(target.type).found++;
    const row = docs.see({ ...target, parentId, rootId }, runId);
    visited.set(key, row.id);
    return { target, row };
  };

  const schedule = (jobs: (Job | undefined)[]): void => {
    for (const job of jobs) {
      if (!job || fatal || signal?.aborted) continue;
      queue.add(() => processJob(job)).catch(() => undefined);
    }
  };

  /** Documents found inside one that is not read this time still get visited. */
  const knownChildren = (row: DocumentRow): (Job | undefined)[] =>
    db.transaction(() =>
      docs.children(row.id).map((c) =>
        discover(
          {
            type: c.type as DocType,
            token: c.token,
            title: c.title ?? undefined,
            scope: c.scope ?? undefined,
          },
          row.id,
          row.root_id ?? undefined,
        ),
      ),
    )();

  const writePage = (
    job: Job,
    pageRefs: FoundRef[],
    children: Target[],
    next: () => void,
  ): (Job | undefined)[] =>
    db.transaction(() => {
      const r = refs.record(job.row.id, pageRefs, runId);
      summary.refs.found += pageRefs.length;
      summary.refs.new += r.newRefs;
      summary.media.new += r.newMedia;
      const jobs = children.map((c) => {
        const child = discover(c, job.row.id, job.row.root_id ?? undefined);
        // Listed on a page read now, so found here now (children revisited from the inventory are not).
        links.see(job.row.id, visited.get(`${c.type}:${c.token}`)!, runId);
        return child;
      });
      next();
      return jobs;
    })();

  const processJob = async (job: Job): Promise<void> => {
    if (fatal || signal?.aborted) return;
    const { target, row } = job;
    const source = SOURCES.get(target.type);
    try {
      if (target.type === 'file') {
        // A drive file named as a root: the file is the media.
        const ref: FoundRef = {
          fileToken: target.token,
          location: 'root',
          kind: 'drive_file',
          source: 'drive_file',
        };
        writePage(job, [ref], [], () => docs.markDone(row.id, null));
        counts(target.type).changed++;
        return;
      }
      if (!source) {
        const reason =
          UNSUPPORTED_REASONS[target.type] ?? `No source reads documents of type ${target.type}.`;
        docs.markFailed(row.id, { status: 'skipped', kind: 'unsupported', message: reason });
        counts(target.type).skipped++;
        log?.({
          level: 'info',
          event: 'crawl.document.skipped',
          message: reason,
          type: target.type,
          token: target.token,
        });
        return;
      }
      await readDocument(job, source);
    } catch (e) {
      if (signal?.aborted) return;
      // A full disk or an unwritable output directory (snapshots) fails every document alike: stop
      // the run with that message instead of recording each document as failed.
      const local = asLocalFatal(e, (e as { path?: string }).path ?? 'the output directory');
      if (local) {
        fatal ??= local;
        queue.clear();
        return;
      }
      const err =
        e instanceof FeishuError
          ? e
          : new FeishuError(`crawl ${target.type} ${target.token}`, {
              msg: String(e),
              cause: e,
              kind: 'protocol',
            });
      if (err.kind === 'credentials') {
        // Nothing else will work either: stop and let the user fix the app.
        fatal ??= err;
        queue.clear();
        return;
      }
      docs.markFailed(row.id, { kind: err.kind, message: err.message, fix: err.fix });
      counts(target.type).failed++;
      summary.failures.push({
        type: target.type,
        token: target.token,
        title: target.title ?? row.title ?? undefined,
        kind: err.kind,
        message: err.message,
        fix: err.fix,
      });
      log?.({
        level: 'warn',
        event: 'crawl.document.failed',
        message: `${target.type} ${target.title ?? target.token}: ${err.message}${err.fix ? ` ${err.fix}` : ''}`,
        type: target.type,
        token: target.token,
        kind: err.kind,
      });
    } finally {
      done++;
      progress();
    }
  };

  const readDocument = async (job: Job, source: Source): Promise<void> => {
    const { target, row } = job;
    let revision: string | undefined;
    let memo: unknown;
    // Containers (no revision) are listed every time; documents are read only when their revision moved.
    if (source.revision) {
      if (target.listedRevision) revision = target.listedRevision;
      else {
        const probe = await source.revision(ctx, target);
        revision = probe.revision;
        memo = probe.memo;
        if (probe.title && !target.title)
          docs.see({ type: target.type, token: target.token, title: probe.title }, runId);
      }
      if (
        revision !== undefined &&
        row.status === 'done' &&
        row.crawled_revision === revision &&
        !snapshots?.missing(row, revision)
      ) {
        counts(target.type).unchanged++;
        schedule(knownChildren(row));
        return;
      }
    }
    let from = checkpoints.get(row.id);
    // A checkpoint of another revision points into content that changed: start again.
    if (from && source.revision && row.revision !== (revision ?? null)) from = undefined;
    const passRun = from?.runId ?? runId;
    if (from) schedule(knownChildren(row));
    else {
      db.transaction(() => {
        checkpoints.clear(row.id);
        docs.setRevision(row.id, revision ?? null);
      })();
    }
    const snapshot = snapshots?.begin({ ...row, title: target.title ?? row.title }, revision);
    if (!from) snapshot?.reset();
    let position: Checkpoint | undefined = from;
    for await (const page of source.read(ctx, target, from, memo)) {
      const next = page.next;
      // Staged (durably) before the checkpoint that moves past it is committed.
      snapshot?.stage(position, page.snapshot ?? null, next);
      position = next;
      const jobs = writePage(job, page.refs ?? [], page.children ?? [], () => {
        if (next) checkpoints.put(row.id, next, passRun);
      });
      schedule(jobs);
      progress();
      signal?.throwIfAborted();
    }
    const published = snapshot ? await publishSnapshot(snapshot, target) : undefined;
    db.transaction(() => {
      summary.refs.gone += refs.markGone(row.id, passRun);
      // A scoped read (one table of a base) lists only part of the document's children by design.
      if (!target.scope) links.markGone(row.id, passRun, runId);
      docs.markDone(row.id, revision ?? null);
      checkpoints.clear(row.id);
      if (published) snapshots?.record(row.id, published, runId);
    })();
    snapshot?.discard();
    counts(target.type).changed++;
  };

  /** A pass that began before snapshots were on cannot be published; the next run takes it again. */
  const publishSnapshot = async (
    snapshot: DocumentSnapshot,
    target: Target,
  ): Promise<Awaited<ReturnType<DocumentSnapshot['publish']>> | undefined> => {
    try {
      return await snapshot.publish();
    } catch (e) {
      if (!(e instanceof SnapshotIncompleteError)) throw e;
      log?.({
        level: 'warn',
        event: 'crawl.snapshot.incomplete',
        message: `${target.type} ${target.title ?? target.token}: snapshot not kept (${e.message}); it is taken on the next run`,
        type: target.type,
        token: target.token,
      });
      return undefined;
    }
  };

  const rootIds: number[] = [];
  for (const root of config.roots) {
    const rootId = upsertRoot(db, root);
    rootIds.push(rootId);
    const target = rootTarget(root);
    const job = discover(target, undefined, rootId);
    setRootDocument(db, rootId, visited.get(`${target.type}:${target.token}`)!);
    if (job && root.type === 'unsupported') {
      docs.markFailed(job.row.id, { status: 'skipped', kind: 'unsupported', message: root.reason });
      counts(target.type).skipped++;
      log?.({
        level: 'warn',
        event: 'crawl.root.unsupported',
        message: `Root ${root.token} is ${root.reason}`,
        token: root.token,
      });
      continue;
    }
    schedule([job]);
  }
  await queue.onIdle();
  for (const [bucket, n] of client.calls) {
    const d = n - (callsBefore.get(bucket) ?? 0);
    if (d > 0) summary.calls[bucket] = d;
  }
  if (fatal) throw fatal;
  summary.interrupted = signal?.aborted ?? false;
  // An interrupted crawl has not looked everywhere: something moved may sit where it did not look.
  if (!summary.interrupted) {
    const gone = markGoneAfterCrawl(db, runId, rootIds, log);
    for (const [type, n] of Object.entries(gone.byType)) counts(type).gone += n;
    summary.refs.gone += gone.refs;
  }
  return summary;
}
