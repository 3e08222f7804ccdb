import type { Db } from './open.js';

export interface MediaError {
  kind: string;
  code: string;
  message: string;
  fix?: string | undefined;
}

/** State transitions of a media row. Synchronous prepared statements; no row is `done` before its file. */
export class MediaStates {
  readonly #begin;
  readonly #partial;
  readonly #done;
  readonly #error;
  readonly #learn;

  constructor(db: Db) {
    this.#begin = db.prepare<{ id: number; at: string }>(
      'UPDATE media SET attempts = attempts + 1, last_attempt_at = @at WHERE id = @id',
    );
    this.#partial = db.prepare<{ id: number; bytes: number }>(
      `UPDATE media SET status = CASE WHEN @bytes > 0 THEN 'partial' ELSE
         CASE WHEN status = 'partial' THEN 'pending' ELSE status END END,
       bytes_on_disk = @bytes WHERE id = @id AND status <> 'done'`,
    );
    this.#done = db.prepare<{
      id: number;
      path: string;
      sha256: string;
      bytes: number;
      at: string;
      version: string | null;
      via: string | null;
    }>(
      `UPDATE media SET status = 'done', path = @path, sha256 = @sha256, bytes_on_disk = @bytes,
       downloaded_at = @at, downloaded_version = @version, fetched_via = @via,
       error_kind = NULL, error_code = NULL, error_message = NULL, error_fix = NULL
       WHERE id = @id`,
    );
    this.#error = db.prepare<{
      id: number;
      status: string;
      kind: string;
      code: string;
      message: string;
      fix: string | null;
    }>(
      `UPDATE media SET status = @status, error_kind = @kind, error_code = @code, error_message = @message,
       error_fix = @fix WHERE id = @id`,
    );
    this.#learn = db.prepare<{ id: number; name: string | null; mime: string | null }>(
      'UPDATE media SET name = COALESCE(name, @name), mime_type = COALESCE(mime_type, @mime) WHERE id = @id',
    );
  }

  /** Counts one attempt (one or more requests) on the row. */
  beginAttempt(id: number, at: Date): void {
    this.#begin.run({ id, at: at.toISOString() });
  }

  /** Records the bytes a `.part` holds: `partial` when there are some, back to `pending` when none. */
  park(id: number, bytes: number): void {
    this.#partial.run({ id, bytes });
  }

  /**
   * Only after the file is fsynced and renamed into place. `path` is relative to outputDir; `version`
   * is the row's `remote_version` when the download was taken from the queue (drive files).
   */
  done(
    id: number,
    file: {
      path: string;
      sha256: string;
      bytes: number;
      at: Date;
      version?: string | null;
      /** Which path fetched it (migration 0020): 'direct' or 'tmp-url'. */
      via?: 'direct' | 'tmp-url';
    },
  ): void {
    this.#done.run({
      id,
      path: file.path,
      sha256: file.sha256,
      bytes: file.bytes,
      at: file.at.toISOString(),
      version: file.version ?? null,
      via: file.via ?? null,
    });
  }

  /** `failed`: permanent (permission, deleted, bad extra), retried only on request. */
  failed(id: number, error: MediaError): void {
    this.#error.run({ id, status: 'failed', ...error, fix: error.fix ?? null });
  }

  /** `error`: retryable, out of retries for this run; the next run tries again. */
  error(id: number, error: MediaError): void {
    this.#error.run({ id, status: 'error', ...error, fix: error.fix ?? null });
  }

  /** Fills a name or MIME type the crawl did not know from what the server said. */
  learn(id: number, name: string | undefined, mime: string | undefined): void {
    this.#learn.run({ id, name: name ?? null, mime: mime ?? null });
  }
}
