import type { Source, SourceContext } from '../sources/types.js';
import { passKey } from './crawled-revision.js';
import type { FullRead } from './full-read.js';
import { PassSnapshot, type PassSnapshotOptions } from './pass-snapshot.js';
import type { PassWriter } from './pass-writer.js';
import type { RevisionCheck } from './revision-check.js';
import type { Scheduler } from './scheduler.js';
import type { Tally } from './tally.js';
import type { Job, Visits } from './visits.js';

export interface DocumentReaderOptions {
  ctx: SourceContext;
  revisions: RevisionCheck;
  fullRead: FullRead;
  writer: PassWriter;
  /** Where each pass's snapshot is staged and recorded. */
  snapshots: PassSnapshotOptions;
  visits: Visits;
  scheduler: Scheduler;
  tally: Tally;
  /** After each page written. */
  afterPage: () => void;
}

/**
 * Reads one document through its source, page by page from its checkpoint, unless its revision says
 * the inventory (and the snapshot) already hold it; then marks gone what the pass no longer found.
 */
export class DocumentReader {
  constructor(private readonly options: DocumentReaderOptions) {}

  async read(job: Job, source: Source): Promise<void> {
    const { ctx, revisions, fullRead, writer, visits, scheduler, tally, afterPage } = this.options;
    const { target } = job;
    // Limited to one sheet (or table): only what it reads may be marked gone or recorded as crawled.
    const scope = target.scope;
    const row = writer.current(job);
    const verdict = await revisions.judge(source, target, row);
    if (!verdict.read) {
      tally.count(target.type, 'unchanged');
      scheduler.add(visits.knownChildren(row));
      return;
    }
    const { revision, memo, check } = verdict;
    const pass = writer.start(row, scope, revision, source.revision !== undefined, check !== undefined);
    if (pass.from) scheduler.add(visits.knownChildren(row));
    const snapshotKey = revision === undefined ? undefined : passKey(revision, scope);
    const snapshot = new PassSnapshot(this.options.snapshots, row, target, snapshotKey, check !== undefined);
    if (!pass.from) snapshot.reset();
    let position = pass.from;
    // A container (a folder, a wiki space) is mostly a listing: it waits for room before its first page.
    if (source.revision === undefined) await scheduler.room();
    for await (const page of source.read(ctx, target, pass.from, memo)) {
      const next = page.next;
      if (page.title && !target.title) writer.title(target, page.title);
      snapshot.stage(position, page.snapshot ?? null, next);
      position = next;
      scheduler.add(writer.page(job, pass, page));
      afterPage();
      ctx.signal?.throwIfAborted();
      // What lists documents lists its next page only while the crawl's backlog has room for them.
      if (next && page.children?.length) await scheduler.room();
    }
    const published = check ? undefined : await snapshot.publish();
    // A check compares what it read with the snapshot kept for the key.
    const contentChanged = check !== undefined && (await snapshot.differsFrom(check.skipKey));
    const missed = writer.end(pass, () => {
      if (published) snapshot.record(published);
      return check ? fullRead.end(job.target, row.id, check, contentChanged) : false;
    });
    if (check && missed) await snapshot.keep();
    snapshot.discard();
    tally.count(target.type, check && !missed ? 'unchanged' : 'changed');
  }
}
