import type { Db } from './open.js';

/**
 * Which document was found inside which (`document_links`, migration 0006), kept the way media_refs
 * keeps media: seen again -> live, not listed by a complete read of the parent -> gone.
 */
export class DocumentLinkRepo {
  readonly #see;
  readonly #gone;

  constructor(db: Db) {
    this.#see = db.prepare(
      `INSERT INTO document_links (parent_id, child_id, first_seen_run, last_seen_run, via)
       VALUES (@parentId, @childId, @runId, @runId, @via)
       ON CONFLICT (parent_id, child_id) DO UPDATE SET last_seen_run = @runId, gone_run = NULL,
         via = coalesce(@via, via)`,
    );
    this.#gone = db.prepare(
      `UPDATE document_links SET gone_run = @runId
       WHERE parent_id = @parentId AND gone_run IS NULL AND coalesce(last_seen_run, 0) < @sinceRun`,
    );
  }

  /**
   * `childId` is listed by `parentId` on a page read in this run, `via` where the parent holds it
   * (migration 0013). Call inside the page's transaction.
   */
  see(parentId: number, childId: number, runId: number, via?: string): void {
    this.#see.run({ parentId, childId, runId, via: via ?? null });
  }

  /**
   * After a complete read of `parentId`: the children it no longer lists, not seen since `sinceRun`
   * (the run that began this pass), are no longer found there. Returns how many links went.
   */
  markGone(parentId: number, sinceRun: number, runId: number): number {
    return this.#gone.run({ parentId, sinceRun, runId }).changes;
  }
}
