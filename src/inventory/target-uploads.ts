import type { Db } from './open.js';

/**
 * The multipart upload in flight for one object (README "Object storage"): its id, what it was
 * created for, and the parts the server has accepted, so an interrupted upload is continued by the
 * next run instead of started again (migration 0021).
 */
export interface RecordedUpload {
  uploadId: string;
  /** The SHA-256 set as the object's metadata when the upload was created; null for rows from before 0021. */
  sha256: string | null;
  partSize: number | null;
  parts: RecordedPart[];
}

export interface RecordedPart {
  partNumber: number;
  size: number;
  /** Hex MD5 of the bytes that were sent. */
  md5: string;
  etag: string;
}

export function recordedUpload(db: Db, bucket: string, key: string): RecordedUpload | undefined {
  const row = db
    .prepare(
      `SELECT upload_id AS uploadId, upload_sha256 AS sha256, upload_part_size AS partSize
         FROM target_objects WHERE bucket = ? AND object_key = ? AND upload_id IS NOT NULL`,
    )
    .get(bucket, key) as Omit<RecordedUpload, 'parts'> | undefined;
  if (!row) return undefined;
  const parts = db
    .prepare(
      `SELECT part_number AS partNumber, size, md5, etag FROM target_upload_parts
        WHERE bucket = ? AND upload_id = ? ORDER BY part_number`,
    )
    .all(bucket, row.uploadId) as RecordedPart[];
  return { ...row, parts };
}

/**
 * A new multipart upload for the object: recorded before its first part is sent. Replacing the
 * upload id forgets the parts of the old one (trigger target_upload_parts_forget).
 */
export function recordUploadStarted(
  db: Db,
  bucket: string,
  key: string,
  u: { uploadId: string; sha256: string; partSize: number },
): void {
  db.prepare(
    `UPDATE target_objects SET upload_id = ?, upload_sha256 = ?, upload_part_size = ?
      WHERE bucket = ? AND object_key = ?`,
  ).run(u.uploadId, u.sha256, u.partSize, bucket, key);
}

/** One part the server accepted (its ETag in hand): the next run does not send it again. */
export function recordPart(db: Db, bucket: string, uploadId: string, p: RecordedPart): void {
  db.prepare(
    `INSERT INTO target_upload_parts (bucket, upload_id, part_number, size, md5, etag)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (bucket, upload_id, part_number)
     DO UPDATE SET size = excluded.size, md5 = excluded.md5, etag = excluded.etag`,
  ).run(bucket, uploadId, p.partNumber, p.size, p.md5, p.etag);
}

/** The upload is completed, aborted or unknown to the server: its id and parts are forgotten. */
export function forgetUpload(db: Db, bucket: string, key: string): void {
  db.prepare(
    `UPDATE target_objects SET upload_id = NULL, upload_sha256 = NULL, upload_part_size = NULL
      WHERE bucket = ? AND object_key = ?`,
  ).run(bucket, key);
}
