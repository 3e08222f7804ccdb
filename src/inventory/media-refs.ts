import { newerThanCopy } from './drive-versions.js';
import type { Db } from './open.js';

/** Which endpoint downloads a media token (`media.source`, migration 0002). */
export type MediaSource = 'media' | 'drive_file' | 'board';

/** A media file token found at one place in a document. */
export interface FoundRef {
  fileToken: string;
  /** Block id, `sheetId!A1`, `float:<id>`, `<recordId>/<fieldId>`, or the folder token for drive files. */
  location: string;
  /** image | file | inline_file | sheet_attachment | sheet_image | float_image | bitable_attachment | drive_file | board */
  kind: string;
  name?: string | undefined;
  size?: number | undefined;
  mimeType?: string | undefined;
  /** The `extra` query value a download needs (decoded JSON string). */
  extra?: string | undefined;
  /** @default 'media' */
  source?: MediaSource;
  /**
   * The part of its document the reference sits in (a sheet id), so a read limited to that part
   * (`Target.scope`) marks gone only the references it could have seen.
   */
  scope?: string | undefined;
  /**
   * Drive files only: the version the listing gives (unix seconds of its last change, see
   * drive-versions.ts). Media inside documents are immutable and have none.
   */
  version?: string | undefined;
}

export interface RecordResult {
  newMedia: number;
  newRefs: number;
  /** Drive files backed up before whose listing shows a later version: queued again. */
  newVersions: number;
}

/**
 * Media rows and their references. One row per file token, however many places use it. The crawl
 * touches a media row's download state in one case only: a drive file listed with a later version
 * than its copy goes back to the queue (see `newerThanCopy`); otherwise it records what it learns
 * (name, size, MIME, extra, version).
 */
export class MediaRefRepo {
  readonly #findMedia;
  readonly #insertMedia;
  readonly #updateMedia;
  readonly #requeueVersion;
  readonly #findRef;
  readonly #insertRef;
  readonly #updateRef;
  readonly #gone;

  constructor(db: Db) {
    this.#findMedia = db.prepare<[string], { id: number }>('SELECT id FROM media WHERE file_token = ?');
    this.#insertMedia = db.prepare(
      `INSERT INTO media (file_token, name, size, mime_type, extra, source, remote_version, first_seen_run, last_seen_run)
       VALUES (@fileToken, @name, @size, @mimeType, @extra, @source, @version, @runId, @runId)`,
    );
    // The newest version any listing gave: two places listing one file with two times do not
    // take turns (see newerThanCopy).
    this.#updateMedia = db.prepare(
      `UPDATE media SET name = coalesce(@name, name), size = coalesce(@size, size),
         mime_type = coalesce(@mimeType, mime_type), extra = coalesce(@extra, extra), last_seen_run = @runId,
         remote_version = CASE WHEN CAST(@version AS INTEGER) > coalesce(CAST(remote_version AS INTEGER), -1)
           THEN @version ELSE remote_version END
       WHERE id = @id`,
    );
    // A new version of a file backed up before: queued as if never tried. Its path and sha256 stay,
    // so the download that replaces the copy keeps the earlier one (src/download/keep-version.ts);
    // the MIME type is the old version's and is learnt again.
    this.#requeueVersion = db.prepare(
      `UPDATE media SET status = 'pending', attempts = 0, error_kind = NULL, error_code = NULL,
         error_message = NULL, error_fix = NULL, mime_type = @mimeType
       WHERE id = @id AND status = 'done' AND source = 'drive_file' AND ${newerThanCopy('@version')}`,
    );
    this.#findRef = db.prepare<[number, number, string], { id: number }>(
      'SELECT id FROM media_refs WHERE media_id = ? AND document_id = ? AND location = ?',
    );
    this.#insertRef = db.prepare(
      `INSERT INTO media_refs (media_id, document_id, location, kind, extra, scope, first_seen_run, last_seen_run)
       VALUES (@mediaId, @documentId, @location, @kind, @extra, @scope, @runId, @runId)`,
    );
    this.#updateRef = db.prepare(
      `UPDATE media_refs SET kind = @kind, extra = coalesce(@extra, extra), scope = coalesce(@scope, scope),
         last_seen_run = @runId, gone_at = NULL
       WHERE id = @id`,
    );
    this.#gone = db.prepare(
      `UPDATE media_refs SET gone_at = @at
       WHERE document_id = @documentId AND gone_at IS NULL AND coalesce(last_seen_run, 0) < @sinceRun
         AND (@scope IS NULL OR scope = @scope)`,
    );
  }

  /** Upserts the media rows and references found on one page. Call inside the page's transaction. */
  record(documentId: number, refs: readonly FoundRef[], runId: number): RecordResult {
    let newMedia = 0;
    let newRefs = 0;
    let newVersions = 0;
    for (const ref of refs) {
      const media = {
        fileToken: ref.fileToken,
        name: ref.name ?? null,
        size: ref.size ?? null,
        mimeType: ref.mimeType ?? null,
        extra: ref.extra ?? null,
        source: ref.source ?? 'media',
        version: ref.source === 'drive_file' ? (ref.version ?? null) : null,
        runId,
      };
      let mediaId = this.#findMedia.get(ref.fileToken)?.id;
      if (mediaId === undefined) {
        mediaId = Number(this.#insertMedia.run(media).lastInsertRowid);
        newMedia++;
      } else {
        newVersions += this.#requeueVersion.run({ ...media, id: mediaId }).changes;
        this.#updateMedia.run({ ...media, id: mediaId });
      }
      const row = {
        mediaId,
        documentId,
        location: ref.location,
        kind: ref.kind,
        extra: ref.extra ?? null,
        scope: ref.scope ?? null,
        runId,
      };
      const existing = this.#findRef.get(mediaId, documentId, ref.location);
      if (existing) this.#updateRef.run({ ...row, id: existing.id });
      else {
        this.#insertRef.run(row);
        newRefs++;
      }
    }
    return { newMedia, newRefs, newVersions };
  }

  /**
   * Marks gone the references of a document not seen since `sinceRun` (the run that began this pass),
   * only those of `scope` after a pass limited to it (one sheet: the others were not looked at).
   * The media rows and their files stay: the backup keeps what it had.
   */
  markGone(documentId: number, sinceRun: number, scope?: string): number {
    return this.#gone.run({ documentId, sinceRun, scope: scope ?? null, at: new Date().toISOString() })
      .changes;
  }
}
