import type { Db } from './open.js';

export type DocumentStatus = 'pending' | 'done' | 'error' | 'gone' | 'skipped';

export interface DocumentRow {
  id: number;
  type: string;
  token: string;
  title: string | null;
  url: string | null;
  parent_id: number | null;
  root_id: number | null;
  revision: string | null;
  crawled_revision: string | null;
  status: DocumentStatus;
  scope: string | null;
}

export interface SeenDocument {
  type: string;
  token: string;
  title?: string | undefined;
  url?: string | undefined;
  parentId?: number | undefined;
  rootId?: number | undefined;
  scope?: string | undefined;
  /** Who saw it: 'tenant' or 'user:<open_id>' (migration 0015). */
  seenAs?: string | undefined;
}

const COLUMNS = 'id, type, token, title, url, parent_id, root_id, revision, crawled_revision, status, scope';

/** Prepared statements for `documents`. Synchronous, so they can run inside a page's transaction. */
export class DocumentRepo {
  readonly #find;
  readonly #insert;
  readonly #touch;
  readonly #revision;
  readonly #done;
  readonly #error;
  readonly #children;

  constructor(db: Db) {
    this.#find = db.prepare<[string, string], DocumentRow>(
      `SELECT ${COLUMNS} FROM documents WHERE type = ? AND token = ?`,
    );
    this.#insert = db.prepare(
      `INSERT INTO documents (type, token, title, url, parent_id, root_id, scope, seen_as, first_seen_run, last_seen_run)
       VALUES (@type, @token, @title, @url, @parentId, @rootId, @scope, @seenAs, @runId, @runId)`,
    );
    // The first finder stays the parent: a shortcut elsewhere does not move a document.
    this.#touch = db.prepare(
      `UPDATE documents SET title = coalesce(@title, title), url = coalesce(@url, url),
         parent_id = coalesce(parent_id, @parentId), root_id = coalesce(root_id, @rootId),
         scope = coalesce(@scope, scope), seen_as = coalesce(@seenAs, seen_as), last_seen_run = @runId,
         status = CASE WHEN status = 'gone' THEN 'pending' ELSE status END,
         gone_run = CASE WHEN status = 'gone' THEN NULL ELSE gone_run END
       WHERE id = @id`,
    );
    this.#revision = db.prepare('UPDATE documents SET revision = ? WHERE id = ?');
    this.#done = db.prepare(
      `UPDATE documents SET status = 'done', crawled_revision = @crawled, revision = @revision,
         error_kind = NULL, error_message = NULL, error_fix = NULL, last_crawled_at = @at WHERE id = @id`,
    );
    this.#error = db.prepare(
      `UPDATE documents SET status = @status, error_kind = @kind, error_message = @message, error_fix = @fix,
         last_crawled_at = @at WHERE id = @id`,
    );
    this.#children = db.prepare<[number], DocumentRow>(
      `SELECT ${COLUMNS} FROM documents WHERE parent_id = ? AND status != 'gone' ORDER BY id`,
    );
  }

  find(type: string, token: string): DocumentRow | undefined {
    return this.#find.get(type, token);
  }

  /** Inserts or refreshes a document seen in this run; a document seen again after being gone is pending again. */
  see(doc: SeenDocument, runId: number): DocumentRow {
    const params = {
      type: doc.type,
      token: doc.token,
      title: doc.title ?? null,
      url: doc.url ?? null,
      parentId: doc.parentId ?? null,
      rootId: doc.rootId ?? null,
      scope: doc.scope ?? null,
      seenAs: doc.seenAs ?? null,
      runId,
    };
    const existing = this.#find.get(doc.type, doc.token);
    if (existing) this.#touch.run({ ...params, id: existing.id });
    else this.#insert.run(params);
    return this.#find.get(doc.type, doc.token)!;
  }

  /** The revision the server reports now (before its content is read). */
  setRevision(id: number, revision: string | null): void {
    this.#revision.run(revision, id);
  }

  /**
   * A pass over the document at `revision` is in the inventory. `crawled` is what the inventory now
   * holds (src/crawl/crawled-revision.ts): `revision` after a whole read, less after a scoped one.
   */
  markDone(id: number, revision: string | null, crawled: string | null = revision): void {
    this.#done.run({ id, revision, crawled, at: new Date().toISOString() });
  }

  /** The document could not be read (`error`) or cannot be read by design (`skipped`), with the user's fix. */
  markFailed(
    id: number,
    failure: { status?: 'error' | 'skipped'; kind: string; message: string; fix?: string | undefined },
  ): void {
    this.#error.run({
      id,
      status: failure.status ?? 'error',
      kind: failure.kind,
      message: failure.message,
      fix: failure.fix ?? null,
      at: new Date().toISOString(),
    });
  }

  /** Documents found inside this one (not gone), to revisit when it is unchanged or resumed. */
  children(parentId: number): DocumentRow[] {
    return this.#children.all(parentId);
  }
}
