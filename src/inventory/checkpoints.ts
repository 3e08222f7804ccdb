import type { Db } from './open.js';

/** Where the crawl of one document resumes: a phase (e.g. `blocks`, `values:<sheetId>`) and a page token. */
export interface Checkpoint {
  phase: string;
  pageToken?: string;
}

export interface StoredCheckpoint extends Checkpoint {
  /** The run that began this pass over the document; refs seen since then are current. */
  runId: number;
  /** The sheet or table the pass was limited to (`Target.scope`); undefined for a whole read. */
  scope?: string;
}

/** Prepared statements for `crawl_checkpoints`. Synchronous: call inside the page's transaction. */
export class CheckpointRepo {
  readonly #get;
  readonly #put;
  readonly #clear;

  constructor(db: Db) {
    this.#get = db.prepare<
      [number],
      { phase: string; page_token: string | null; run_id: number; scope: string | null }
    >('SELECT phase, page_token, run_id, scope FROM crawl_checkpoints WHERE document_id = ?');
    // A pass clears its document's checkpoint before its first put, so the conflict is always its own.
    this.#put = db.prepare(
      `INSERT INTO crawl_checkpoints (document_id, phase, page_token, run_id, scope, updated_at)
       VALUES (@documentId, @phase, @pageToken, @runId, @scope, @at)
       ON CONFLICT (document_id) DO UPDATE SET phase = @phase, page_token = @pageToken, updated_at = @at`,
    );
    this.#clear = db.prepare('DELETE FROM crawl_checkpoints WHERE document_id = ?');
  }

  get(documentId: number): StoredCheckpoint | undefined {
    const row = this.#get.get(documentId);
    if (!row) return undefined;
    return {
      phase: row.phase,
      runId: row.run_id,
      ...(row.page_token ? { pageToken: row.page_token } : {}),
      ...(row.scope !== null ? { scope: row.scope } : {}),
    };
  }

  /** Saves the next page to read; the pass keeps the run id (and scope) it started with. */
  put(documentId: number, checkpoint: Checkpoint, runId: number, scope?: string): void {
    this.#put.run({
      documentId,
      phase: checkpoint.phase,
      pageToken: checkpoint.pageToken ?? null,
      runId,
      scope: scope ?? null,
      at: new Date().toISOString(),
    });
  }

  clear(documentId: number): void {
    this.#clear.run(documentId);
  }
}
