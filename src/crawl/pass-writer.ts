import { type Checkpoint, CheckpointRepo } from '../inventory/checkpoints.js';
import { DocumentLinkRepo } from '../inventory/document-links.js';
import type { DocumentRepo, DocumentRow } from '../inventory/documents.js';
import { type FoundRef, MediaRefRepo } from '../inventory/media-refs.js';
import type { Db } from '../inventory/open.js';
import { type Unbackable, UnbackableRepo } from '../inventory/unbackable.js';
import type { SourcePage, Target } from '../sources/types.js';
import { afterPass } from './crawled-revision.js';
import type { Tally } from './tally.js';
import type { Job, Visits } from './visits.js';

export interface PassWriterOptions {
  db: Db;
  runId: number;
  docs: DocumentRepo;
  visits: Visits;
  tally: Tally;
}

/** One pass over a document: where it starts, and what it covers. */
export interface Pass {
  row: DocumentRow;
  /** Undefined for a whole read; a sheet or table id for a read limited to it. */
  scope: string | undefined;
  revision: string | undefined;
  /** The checkpoint it resumes from; undefined when it starts from the beginning. */
  from: Checkpoint | undefined;
  /** The run that began the pass: what it found is marked as found by that run. */
  runId: number;
}

/**
 * Records what the reads find in the inventory: each page with its checkpoint in one transaction,
 * and at the end of a pass what it no longer found.
 */
export class PassWriter {
  readonly #refs: MediaRefRepo;
  readonly #links: DocumentLinkRepo;
  /** Media-shaped objects nothing can download (migration 0014). */
  readonly #unbackable: UnbackableRepo;
  readonly #checkpoints: CheckpointRepo;

  constructor(private readonly options: PassWriterOptions) {
    this.#refs = new MediaRefRepo(options.db);
    this.#links = new DocumentLinkRepo(options.db);
    this.#unbackable = new UnbackableRepo(options.db);
    this.#checkpoints = new CheckpointRepo(options.db);
  }

  /** The document as the inventory holds it now: a pass over another sheet of it may have ended since it was found. */
  current(job: Job): DocumentRow {
    return this.options.docs.find(job.target.type, job.target.token) ?? job.row;
  }

  title(target: Target, title: string): void {
    this.options.docs.see({ type: target.type, token: target.token, title }, this.options.runId);
  }

  /**
   * Begins a pass at its checkpoint, or from the beginning (then the old checkpoint is cleared and the
   * revision recorded). A checkpoint of another revision points into content that changed, and one of
   * another scope into a pass that skipped what this one reads: they start again.
   * @param revised the document has a revision (containers have none)
   * @param restart start over whatever the checkpoint says: what an interrupted check wrote would hide
   *   the change it is looking for
   */
  start(
    row: DocumentRow,
    scope: string | undefined,
    revision: string | undefined,
    revised: boolean,
    restart: boolean,
  ): Pass {
    const { db, docs, runId } = this.options;
    const checkpoints = this.#checkpoints;
    let from = checkpoints.get(row.id);
    if (from && ((revised && row.revision !== (revision ?? null)) || from.scope !== scope)) from = undefined;
    if (restart) from = undefined;
    if (!from) {
      db.transaction(() => {
        checkpoints.clear(row.id);
        docs.setRevision(row.id, revision ?? null);
      })();
    }
    return { row, scope, revision, from, runId: from?.runId ?? runId };
  }

  /** Records one page of a pass; returns the jobs for the documents it asks to read. */
  page(job: Job, pass: Pass, page: SourcePage): (Job | undefined)[] {
    const { next } = page;
    const moveOn = (): void => {
      if (next) this.#checkpoints.put(pass.row.id, next, pass.runId, pass.scope);
    };
    return this.#record(job, page.refs ?? [], page.children ?? [], moveOn, page.unbackable);
  }

  /** A drive file named as a root: the file is the media, and the document is done at once. */
  file(job: Job): void {
    const ref: FoundRef = {
      fileToken: job.target.token,
      location: 'root',
      kind: 'drive_file',
      source: 'drive_file',
    };
    this.#record(job, [ref], [], () => this.options.docs.markDone(job.row.id, null));
  }

  /**
   * Ends a pass in one transaction: marks gone what it no longer found, the document done at its
   * revision, and runs `within` (the snapshot's record, the skip-key check) in the same transaction.
   */
  end<T>(pass: Pass, within: () => T): T {
    const { db, runId, docs, tally } = this.options;
    const { row, scope, revision } = pass;
    return db.transaction(() => {
      tally.refsGone(this.#refs.markGone(row.id, pass.runId, scope));
      this.#unbackable.markGone(row.id, pass.runId, scope);
      // A scoped read (one table of a base) lists only part of the document's children by design.
      if (scope === undefined) this.#links.markGone(row.id, pass.runId, runId);
      docs.markDone(row.id, revision ?? null, afterPass(row.crawled_revision, revision ?? null, scope));
      this.#checkpoints.clear(row.id);
      return within();
    })();
  }

  /**
   * Records one page, its references and the documents it lists, in one transaction with `next`
   * (which moves the checkpoint past it); returns the jobs for the documents it asks to read.
   */
  #record(
    job: Job,
    pageRefs: FoundRef[],
    children: Target[],
    next: () => void,
    unbackable: readonly Unbackable[] = [],
  ): (Job | undefined)[] {
    const { db, runId, visits, tally } = this.options;
    return db.transaction(() => {
      tally.refs(pageRefs.length, this.#refs.record(job.row.id, pageRefs, runId));
      if (unbackable.length) {
        this.#unbackable.record(job.row.id, unbackable, runId);
        tally.unbackable(unbackable.length);
      }
      const jobs = children.map((c) => {
        const child = visits.meet(c, job.row.id, job.row.root_id ?? undefined);
        // Listed on a page read now, so found here now (children revisited from the inventory are not).
        // A synced block can name its own document as the source: no link to itself.
        if (child.id !== job.row.id) this.#links.see(job.row.id, child.id, runId, c.via);
        return child.job;
      });
      next();
      return jobs;
    })();
  }
}
