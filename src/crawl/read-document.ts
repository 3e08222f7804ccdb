import { type DocumentSnapshot, SnapshotIncompleteError } from '../archive/snapshots/stage.js';
import type { Checkpoint } from '../inventory/checkpoints.js';
import type { Source, Target } from '../sources/types.js';
import type { CrawlRun, Job } from './crawl-run.js';
import { afterPass, heldPass, passKey } from './crawled-revision.js';
import { knownChildren } from './discover.js';
import { schedule } from './schedule.js';
import { writePage } from './write-page.js';

/**
 * Reads one document through its source, page by page from its checkpoint, unless its revision says
 * the inventory (and the snapshot) already hold it; then marks gone what the pass no longer found.
 */
export async function readDocument(run: CrawlRun, job: Job, source: Source): Promise<void> {
  const { db, runId, signal, docs, refs, links, checkpoints, snapshots, ctx, summary } = run;
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
      run.counts(target.type).unchanged++;
      schedule(run, knownChildren(run, row));
      return;
    }
  }
  let from = checkpoints.get(row.id);
  // A checkpoint of another revision points into content that changed, and one of another scope into
  // a pass that skipped what this one reads: start again.
  if (from && ((source.revision && row.revision !== (revision ?? null)) || from.scope !== scope))
    from = undefined;
  const passRun = from?.runId ?? runId;
  if (from) schedule(run, knownChildren(run, row));
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
    const jobs = writePage(
      run,
      job,
      page.refs ?? [],
      page.children ?? [],
      () => {
        if (next) checkpoints.put(row.id, next, passRun, scope);
      },
      page.unbackable,
    );
    schedule(run, jobs);
    run.progress();
    signal?.throwIfAborted();
  }
  const published = snapshot ? await publishSnapshot(run, snapshot, target) : undefined;
  db.transaction(() => {
    summary.refs.gone += refs.markGone(row.id, passRun, scope);
    run.unbackable.markGone(row.id, passRun, scope);
    // A scoped read (one table of a base) lists only part of the document's children by design.
    if (scope === undefined) links.markGone(row.id, passRun, runId);
    docs.markDone(row.id, revision ?? null, afterPass(row.crawled_revision, revision ?? null, scope));
    checkpoints.clear(row.id);
    if (published) snapshots?.record(row.id, published, runId);
  })();
  snapshot?.discard();
  run.counts(target.type).changed++;
}

/** A pass that began before snapshots were on cannot be published; the next run takes it again. */
async function publishSnapshot(
  run: CrawlRun,
  snapshot: DocumentSnapshot,
  target: Target,
): Promise<Awaited<ReturnType<DocumentSnapshot['publish']>> | undefined> {
  try {
    return await snapshot.publish();
  } catch (e) {
    if (!(e instanceof SnapshotIncompleteError)) throw e;
    run.log?.({
      level: 'warn',
      event: 'crawl.snapshot.incomplete',
      message: `${target.type} ${target.title ?? target.token}: snapshot not kept (${e.message}); it is taken on the next run`,
      type: target.type,
      token: target.token,
    });
    return undefined;
  }
}
