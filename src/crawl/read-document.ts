import { type DocumentSnapshot, SnapshotIncompleteError } from '../archive/snapshots/stage.js';
import type { Checkpoint } from '../inventory/checkpoints.js';
import type { Source, Target } from '../sources/types.js';
import type { CrawlRun } from './crawl-run.js';
import { afterPass, heldPass, passKey } from './crawled-revision.js';
import { beginCheck, type Check, checkReason, endCheck } from './full-read.js';
import type { Job } from './visits.js';
import { writePage } from './write-page.js';

/**
 * Reads one document through its source, page by page from its checkpoint, unless its revision says
 * the inventory (and the snapshot) already hold it; then marks gone what the pass no longer found.
 */
export async function readDocument(run: CrawlRun, job: Job, source: Source): Promise<void> {
  const { db, runId, signal, docs, refs, links, checkpoints, snapshots, ctx, tally } = run;
  const { target } = job;
  // Limited to one sheet (or table): only what it reads may be marked gone or recorded as crawled.
  const scope = target.scope;
  // Read now: a pass over another sheet of this document may have ended since it was found.
  const row = docs.find(target.type, target.token) ?? job.row;
  let revision: string | undefined;
  let memo: unknown;
  // A full read takes a document its skip key calls unchanged all the same, to check the key.
  let check: Check | undefined;
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
      const reason = checkReason(run, { ...job, row }, Date.now());
      if (!reason) {
        tally.count(target.type, 'unchanged');
        run.scheduler.add(run.visits.knownChildren(row));
        return;
      }
      check = beginCheck(run, { ...job, row }, held, reason);
    }
  }
  let from = checkpoints.get(row.id);
  // A checkpoint of another revision points into content that changed, and one of another scope into
  // a pass that skipped what this one reads: start again.
  if (from && ((source.revision && row.revision !== (revision ?? null)) || from.scope !== scope))
    from = undefined;
  // A check starts over: what an interrupted check wrote would hide the change it is looking for.
  if (check) from = undefined;
  const passRun = from?.runId ?? runId;
  if (from) run.scheduler.add(run.visits.knownChildren(row));
  else {
    db.transaction(() => {
      checkpoints.clear(row.id);
      docs.setRevision(row.id, revision ?? null);
    })();
  }
  // A check's snapshot is kept only if the content changed under the key, beside (not over) the
  // snapshot already kept for that key.
  const snapshotKey = revision === undefined ? undefined : passKey(revision, scope);
  const snapshot = snapshots?.begin(
    { ...row, title: target.title ?? row.title },
    check && snapshotKey ? `${snapshotKey}~run${runId}` : snapshotKey,
  );
  if (!from) snapshot?.reset();
  let position: Checkpoint | undefined = from;
  for await (const page of source.read(ctx, target, from, memo)) {
    const next = page.next;
    if (page.title && !target.title)
      docs.see({ type: target.type, token: target.token, title: page.title }, runId);
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
    run.scheduler.add(jobs);
    run.progress();
    signal?.throwIfAborted();
  }
  const published = snapshot && !check ? await publishSnapshot(run, snapshot, target) : undefined;
  // A check compares what it read with the snapshot kept for the key (same scope only).
  const contentChanged =
    check !== undefined &&
    snapshot !== undefined &&
    check.skipKey === snapshotKey &&
    (await snapshots?.sameContent(snapshot, row.id, check.skipKey)) === false;
  const missed = db.transaction(() => {
    tally.refsGone(refs.markGone(row.id, passRun, scope));
    run.unbackable.markGone(row.id, passRun, scope);
    // A scoped read (one table of a base) lists only part of the document's children by design.
    if (scope === undefined) links.markGone(row.id, passRun, runId);
    docs.markDone(row.id, revision ?? null, afterPass(row.crawled_revision, revision ?? null, scope));
    checkpoints.clear(row.id);
    if (published) snapshots?.record(row.id, published, runId);
    return check ? endCheck(run, job, check, contentChanged) : false;
  })();
  if (check && missed && snapshot) {
    const kept = await publishSnapshot(run, snapshot, target);
    if (kept) db.transaction(() => snapshots?.record(row.id, kept, runId))();
  }
  snapshot?.discard();
  tally.count(target.type, check && !missed ? 'unchanged' : 'changed');
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
