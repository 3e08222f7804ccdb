import type { Db } from './open.js';

/** A media file that is complete on disk and not yet (verifiably) in the bucket. */
export interface UploadCandidate {
  /** Null for a document snapshot. */
  mediaId: number | null;
  path: string;
  sha256: string;
  size: number;
  /** The multipart upload an earlier run left unfinished for this key, if any. */
  uploadId: string | null;
  /** Why the last upload or verify failed; `corrupt_in_bucket` (verify --deep) forbids trusting a HEAD. */
  errorCode: string | null;
}

/**
 * Done media, and document snapshots, whose bucket copy is missing, failed, or holds another SHA-256
 * (a new version of a drive file was downloaded since). Keyed by the local path: the bucket mirrors
 * the local layout. Snapshots have no media row (`mediaId` null).
 */
export function uploadCandidates(db: Db, bucket: string, prefix: string): UploadCandidate[] {
  return db
    .prepare(
      `SELECT m.id AS mediaId, m.path AS path, m.sha256 AS sha256, m.bytes_on_disk AS size,
              t.upload_id AS uploadId, t.error_code AS errorCode
         FROM media m
         LEFT JOIN target_objects t ON t.bucket = @bucket AND t.object_key = @prefix || m.path
        WHERE m.status = 'done' AND m.path IS NOT NULL AND m.sha256 IS NOT NULL
          AND m.bytes_on_disk IS NOT NULL
          AND (t.id IS NULL OR t.status <> 'done' OR t.sha256 IS NOT m.sha256)
       UNION ALL
       SELECT NULL, s.path, s.sha256, s.bytes, t.upload_id, t.error_code
         FROM snapshots s
         LEFT JOIN target_objects t ON t.bucket = @bucket AND t.object_key = @prefix || s.path
        WHERE t.id IS NULL OR t.status <> 'done' OR t.sha256 IS NOT s.sha256
        ORDER BY 1 NULLS LAST, 2`,
    )
    .all({ bucket, prefix }) as UploadCandidate[];
}

function upsert(db: Db, bucket: string, key: string, fields: Record<string, unknown>): void {
  const cols = Object.keys(fields);
  db.prepare(
    `INSERT INTO target_objects (bucket, object_key, ${cols.join(', ')})
     VALUES (@bucket, @key, ${cols.map((c) => `@${c}`).join(', ')})
     ON CONFLICT (bucket, object_key) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}`,
  ).run({ bucket, key, ...fields });
}

/** Before the first byte goes out: the row says an upload is in flight (and its id, once known). */
export function markUploading(
  db: Db,
  bucket: string,
  key: string,
  mediaId: number | null,
  runId: number,
  uploadId: string | null = null,
): void {
  upsert(db, bucket, key, { media_id: mediaId, status: 'uploading', upload_id: uploadId, run_id: runId });
  db.prepare('UPDATE target_objects SET attempts = attempts + 1 WHERE bucket = ? AND object_key = ?').run(
    bucket,
    key,
  );
}

/** After the HEAD showed the SHA-256 and length: the object is backed up in the bucket. */
export function markUploaded(db: Db, bucket: string, key: string, sha256: string, size: number): void {
  upsert(db, bucket, key, {
    status: 'done',
    sha256,
    size,
    upload_id: null,
    error_code: null,
    error_message: null,
    uploaded_at: new Date().toISOString(),
  });
}

export function markUploadFailed(db: Db, bucket: string, key: string, code: string, message: string): void {
  upsert(db, bucket, key, { status: 'error', error_code: code, error_message: message });
}

export interface TargetCounts {
  /** Media complete on disk. */
  mediaDone: number;
  /** Of those, in the bucket with the same SHA-256. */
  uploaded: number;
  failed: number;
  snapshots: number;
  /** Of those, in the bucket with the same SHA-256. */
  snapshotsUploaded: number;
  /** The inventory copy's last upload, ISO time. */
  inventoryUploadedAt: string | null;
}

export function targetCounts(db: Db, bucket: string, prefix: string): TargetCounts {
  const row = db
    .prepare(
      `SELECT COUNT(*) AS mediaDone,
              COALESCE(SUM(t.status = 'done' AND t.sha256 = m.sha256), 0) AS uploaded,
              COALESCE(SUM(t.status = 'error'), 0) AS failed
         FROM media m
         LEFT JOIN target_objects t ON t.bucket = ? AND t.object_key = ? || m.path
        WHERE m.status = 'done' AND m.path IS NOT NULL`,
    )
    .get(bucket, prefix) as Pick<TargetCounts, 'mediaDone' | 'uploaded' | 'failed'>;
  const snaps = db
    .prepare(
      `SELECT COUNT(*) AS snapshots,
              COALESCE(SUM(t.status = 'done' AND t.sha256 = s.sha256), 0) AS snapshotsUploaded
         FROM snapshots s
         LEFT JOIN target_objects t ON t.bucket = ? AND t.object_key = ? || s.path`,
    )
    .get(bucket, prefix) as Pick<TargetCounts, 'snapshots' | 'snapshotsUploaded'>;
  const inv = db
    .prepare(
      `SELECT uploaded_at AS at FROM target_objects
        WHERE bucket = ? AND object_key = ? AND status = 'done'`,
    )
    .get(bucket, `${prefix}${INVENTORY_KEY}`) as { at: string } | undefined;
  return { ...row, ...snaps, inventoryUploadedAt: inv?.at ?? null };
}

/** The key, under the prefix, of the inventory copy uploaded at the end of each run. */
export const INVENTORY_KEY = 'inventory.sqlite';
