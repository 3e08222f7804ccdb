import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
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

  /**
   * Whether a pass staged in `snapshot` holds what the published snapshot of `revision` holds (a
   * full read checking a skip key: src/crawl/full-read.ts); undefined when it cannot tell (no
   * published snapshot, a file gone from disk, a staged page missing).
   */
  async sameContent(
    snapshot: DocumentSnapshot,
    documentId: number,
    revision: string,
  ): Promise<boolean | undefined> {
    const path = this.#repo.pathOf(documentId, revision);
    if (!path) return undefined;
    try {
      const hash = createHash('sha256');
      await pipeline(createReadStream(join(this.outputDir, path)), createGunzip(), async (chunks) => {
        for await (const chunk of chunks) hash.update(chunk as Buffer);
      });
      return snapshot.contentSha256(revision) === hash.digest('hex');
    } catch {
      return undefined;
    }
  }

  /** Synchronous: runs inside the transaction that marks the document done. */
  record(documentId: number, published: Omit<SnapshotRecord, 'documentId'>, runId: number): void {
    this.#repo.record({ ...published, documentId }, runId);
  }
}
