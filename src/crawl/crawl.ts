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
import { afterPass, heldPass, passKey } from './crawled-revision.js';
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

/** A document this run met, and the reads asked of it: whole, or limited to these sheets or tables. */
interface Visit {
  id: number;
  whole: boolean;
  scopes: Set<string>;
}

const keyOf = (target: Target): string => `${target.type}:${target.token}`;

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
  /** `type:token` -> the document, for every document this run met. */
  const visited = new Map<string, Visit>();
  /** Reads limited to one sheet or table (roots with `sheetId`/`tableId`): see `readScoped`. */
  const scoped: Job[] = [];
  let fatal: unknown;
  let done = 0;

  const progress = (): void => {
    if (!onProgress) return;
    let calls = 0;
    for (const [bucket, n] of client.calls) calls += n - (callsBefore.get(bucket) ?? 0);
    onProgress({
      documentsDone: done,
      documentsQueued: queue.size + queue.pending + scoped.length,
      refsFound: summary.refs.found,
      newMedia: summary.media.new,
      calls,
    });
  };

  /**
   * Records a document when this run meets it, and returns a job when it asks for more than was asked
   * before (the whole spreadsheet after one of its sheets); synchronous so it can join a page's transaction.
   */
  const discover = (
    target: Target,
    parentId: number | undefined,
    rootId: number | undefined,
  ): Job | undefined => {
    const key = keyOf(target);
    const seen = visited.get(key);
    if (seen && (seen.whole || (target.scope !== undefined && seen.scopes.has(target.scope))))
      return undefined;
    if (!seen) counts(target.type).found++;
    const row = docs.see({ ...target, parentId, rootId }, runId);
    const visit = seen ?? { id: row.id, whole: false, scopes: new Set<string>() };
    if (target.scope === undefined) visit.whole = true;
    else visit.scopes.add(target.scope);
    visited.set(key, visit);
    return { target, row };
  };

  const schedule = (jobs: (Job | undefined)[]): void => {
    for (const job of jobs) {
      if (!job || fatal || signal?.aborted) continue;
      if (job.target.scope !== undefined) scoped.push(job);
      else queue.add(() => processJob(job)).catch(() => undefined);
    }
  };

  /**
   * Scoped reads wait until every whole read is done: a document another root (a folder, a document
   * embedding it) reaches whole is read whole, which answers them, and they are dropped. The others
   * run one document at a time, as their passes share the document's checkpoint.
   */
  const readScoped = async (): Promise<void> => {
    while (scoped.length > 0 && !fatal && !signal?.aborted) {
      const byDocument = new Map<string, Job[]>();
      for (const job of scoped.splice(0)) {
        const key = keyOf(job.target);
        if (visited.get(key)?.whole) continue;
        byDocument.set(key, [...(byDocument.get(key) ?? []), job]);
      }
      for (const jobs of byDocument.values()) {
        queue
          .add(async () => {
            for (const job of jobs) await processJob(job);
          })
          .catch(() => undefined);
      }
      await queue.onIdle();
    }
  };

  /**
   * Documents found inside one that is not read this time still get visited, whole: what a document
   * embeds is read whole (src/sources/docx/extract.ts), and `documents.scope` only says a root once
   * named one of its sheets.
   */
  const knownChildren = (row: DocumentRow): (Job | undefined)[] =>
    db.transaction(() =>
      docs
        .children(row.id)
        .map((c) =>
          discover(
            { type: c.type as DocType, token: c.token, title: c.title ?? undefined },
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
        links.see(job.row.id, visited.get(keyOf(c))!.id, runId);
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
    const { target } = job;
    // Limited to one sheet (or table): only what it reads may be marked gone or recorded as crawled.
    const scope = target.scope;
    // Read now: a pass over another sheet of this document may have ended since it was found.
    const row = docs.find(target.type, target.token) ?? job.row;
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
      const held =
        revision !== undefined && row.status === 'done'
          ? heldPass(row.crawled_revision, revision, scope)
          : undefined;
      if (held !== undefined && !snapshots?.missing(row, held)) {
        counts(target.type).unchanged++;
        schedule(knownChildren(row));
        return;
      }
    }
    let from = checkpoints.get(row.id);
    // A checkpoint of another revision points into content that changed, and one of another scope into
    // a pass that skipped what this one reads: start again.
    if (from && ((source.revision && row.revision !== (revision ?? null)) || from.scope !== scope))
      from = undefined;
    const passRun = from?.runId ?? runId;
    if (from) schedule(knownChildren(row));
    else {
      db.transaction(() => {
        checkpoints.clear(row.id);
        docs.setRevision(row.id, revision ?? null);
      })();
    }
    const snapshot = snapshots?.begin(
      { ...row, title: target.title ?? row.title },
      revision === undefined ? undefined : passKey(revision, scope),
    );
    if (!from) snapshot?.reset();
    let position: Checkpoint | undefined = from;
    for await (const page of source.read(ctx, target, from, memo)) {
      const next = page.next;
      // Staged (durably) before the checkpoint that moves past it is committed.
      snapshot?.stage(position, page.snapshot ?? null, next);
      position = next;
      const jobs = writePage(job, page.refs ?? [], page.children ?? [], () => {
        if (next) checkpoints.put(row.id, next, passRun, scope);
      });
      schedule(jobs);
      progress();
      signal?.throwIfAborted();
    }
    const published = snapshot ? await publishSnapshot(snapshot, target) : undefined;
    db.transaction(() => {
      summary.refs.gone += refs.markGone(row.id, passRun, scope);
      // A scoped read (one table of a base) lists only part of the document's children by design.
      if (scope === undefined) links.markGone(row.id, passRun, runId);
      docs.markDone(row.id, revision ?? null, afterPass(row.crawled_revision, revision ?? null, scope));
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
    setRootDocument(db, rootId, visited.get(keyOf(target))!.id);
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
  await readScoped();
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
