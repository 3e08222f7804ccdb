import type { Db } from '../../inventory/open.js';
import { type SnapshotRecord, SnapshotRepo } from '../../inventory/snapshots.js';
import { isSnapshotKind } from './paths.js';
import { DocumentSnapshot } from './stage.js';

/**
 * The crawl's entry to snapshots: which documents get one, whether a done document still lacks the
 * snapshot of its revision (an inventory from before snapshots were on), and recording a published one.
 */
export class SnapshotWriter {
  readonly #repo: SnapshotRepo;

  constructor(
    db: Db,
    readonly outputDir: string,
  ) {
    this.#repo = new SnapshotRepo(db);
  }

  /** A snapshot for this pass over the document, or undefined for types that have none. */
  begin(
    document: { id: number; type: string; token: string; title?: string | null | undefined },
    revision: string | undefined,
  ): DocumentSnapshot | undefined {
    if (!isSnapshotKind(document.type)) return undefined;
    return new DocumentSnapshot(this.outputDir, document.id, {
      type: document.type,
      token: document.token,
      revision,
      title: document.title ?? undefined,
    });
  }

  /** True when an unchanged document must still be read once, because its revision has no snapshot. */
  missing(document: { id: number; type: string }, revision: string): boolean {
    return isSnapshotKind(document.type) && !this.#repo.has(document.id, revision);
  }

  /** Synchronous: runs inside the transaction that marks the document done. */
  record(documentId: number, published: Omit<SnapshotRecord, 'documentId'>, runId: number): void {
    this.#repo.record({ ...published, documentId }, runId);
  }
}
