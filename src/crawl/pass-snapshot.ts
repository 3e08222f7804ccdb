import { type DocumentSnapshot, SnapshotIncompleteError } from '../archive/snapshots/stage.js';
import type { SnapshotWriter } from '../archive/snapshots/writer.js';
import type { Logger } from '../events.js';
import type { Checkpoint } from '../inventory/checkpoints.js';
import type { DocumentRow } from '../inventory/documents.js';
import type { Db } from '../inventory/open.js';
import type { Target } from '../sources/types.js';

type Published = Awaited<ReturnType<DocumentSnapshot['publish']>>;

export interface PassSnapshotOptions {
  db: Db;
  /** Undefined when snapshots are off. */
  snapshots: SnapshotWriter | undefined;
  runId: number;
  log: Logger | undefined;
}

/**
 * The snapshot one pass over a document stages page by page, then publishes (or discards). Does
 * nothing when snapshots are off or the document's type has none.
 */
export class PassSnapshot {
  readonly #snapshot: DocumentSnapshot | undefined;

  /**
   * @param key the pass's key (`crawled-revision.ts` passKey), undefined for documents without a revision
   * @param checking a full read checking the skip key: its snapshot is kept only if the content changed
   *   under the key, beside (not over) the snapshot already kept for that key
   */
  constructor(
    private readonly options: PassSnapshotOptions,
    private readonly row: DocumentRow,
    private readonly target: Target,
    private readonly key: string | undefined,
    checking: boolean,
  ) {
    this.#snapshot = options.snapshots?.begin(
      { ...row, title: target.title ?? row.title },
      checking && key ? `${key}~run${options.runId}` : key,
    );
  }

  /** A pass that starts over drops what an earlier one staged. */
  reset(): void {
    this.#snapshot?.reset();
  }

  /** Staged (durably) before the checkpoint that moves past it is committed. */
  stage(from: Checkpoint | undefined, part: unknown, next: Checkpoint | undefined): void {
    this.#snapshot?.stage(from, part, next);
  }

  /** A pass that began before snapshots were on cannot be published; the next run takes it again. */
  async publish(): Promise<Published | undefined> {
    if (!this.#snapshot) return undefined;
    try {
      return await this.#snapshot.publish();
    } catch (e) {
      if (!(e instanceof SnapshotIncompleteError)) throw e;
      const { target } = this;
      this.options.log?.({
        level: 'warn',
        event: 'crawl.snapshot.incomplete',
        message: `${target.type} ${target.title ?? target.token}: snapshot not kept (${e.message}); it is taken on the next run`,
        type: target.type,
        token: target.token,
      });
      return undefined;
    }
  }

  /** Whether what this pass staged differs from the snapshot kept for `key` (same scope only). */
  async differsFrom(key: string): Promise<boolean> {
    if (!this.#snapshot || key !== this.key) return false;
    return (await this.options.snapshots?.sameContent(this.#snapshot, this.row.id, key)) === false;
  }

  /** Synchronous: inside the transaction that marks the document done. */
  record(published: Published): void {
    this.options.snapshots?.record(this.row.id, published, this.options.runId);
  }

  /** Publishes and records the snapshot of a check that found the content changed under its key. */
  async keep(): Promise<void> {
    if (!this.#snapshot) return;
    const kept = await this.publish();
    if (kept) this.options.db.transaction(() => this.record(kept))();
  }

  discard(): void {
    this.#snapshot?.discard();
  }
}
