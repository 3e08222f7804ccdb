import type { Db } from './open.js';

/**
 * Inventory look-ups for the bucket layout beyond media and snapshots (README "Object storage"):
 * the version label kept with a media object (migration 0022), the earlier objects of a drive file
 * whose new version is about to overwrite them, and the media a keepLocal-false run stages.
 */

/** After a media object is checked: the label its copy gets under versions/ once a new version replaces it. */
export function setVersionLabel(db: Db, bucket: string, key: string, label: string): void {
  db.prepare('UPDATE target_objects SET version_label = ? WHERE bucket = ? AND object_key = ?').run(
    label,
    bucket,
    key,
  );
}

export interface EarlierObject {
  key: string;
  sha256: string;
  size: number;
  versionLabel: string | null;
  uploadedAt: string | null;
}

/**
 * Objects of media `mediaId` in the bucket holding other bytes than `sha256`: the earlier version a
 * new download of a drive file replaces. Copies under versions/ have no media id, so are not listed.
 */
export function earlierObjects(db: Db, bucket: string, mediaId: number, sha256: string): EarlierObject[] {
  return db
    .prepare(
      `SELECT object_key AS key, sha256, size, version_label AS versionLabel, uploaded_at AS uploadedAt
         FROM target_objects
        WHERE bucket = ? AND media_id = ? AND status = 'done' AND sha256 IS NOT ?`,
    )
    .all(bucket, mediaId, sha256) as EarlierObject[];
}

/** An earlier object is kept under versions/: it no longer stands for the media row's current copy. */
export function detachObject(db: Db, bucket: string, key: string): void {
  db.prepare('UPDATE target_objects SET media_id = NULL WHERE bucket = ? AND object_key = ?').run(
    bucket,
    key,
  );
}

/** True when the bucket holds `key` checked, with this SHA-256. */
export function objectDone(db: Db, bucket: string, key: string, sha256?: string): boolean {
  const row = db
    .prepare(`SELECT sha256 FROM target_objects WHERE bucket = ? AND object_key = ? AND status = 'done'`)
    .get(bucket, key) as { sha256: string | null } | undefined;
  return row !== undefined && (sha256 === undefined || row.sha256 === sha256);
}

/** The media fields `versionLabel` (src/download/keep-version.ts) reads. */
export function mediaVersionFields(
  db: Db,
  mediaId: number,
): { downloaded_version: string | null; downloaded_at: string | null; sha256: string | null } | undefined {
  return db
    .prepare('SELECT downloaded_version, downloaded_at, sha256 FROM media WHERE id = ?')
    .get(mediaId) as
    | { downloaded_version: string | null; downloaded_at: string | null; sha256: string | null }
    | undefined;
}

/** A media file done locally with its SHA-256 and size: what the staging area uploads. */
export interface StagedMedia {
  mediaId: number;
  path: string;
  sha256: string;
  size: number;
  uploadId: string | null;
}

/** The media row `id` as published, with the multipart upload an earlier run left for its key. */
export function publishedMedia(db: Db, bucket: string, prefix: string, id: number): StagedMedia | undefined {
  return db
    .prepare(
      `SELECT m.id AS mediaId, m.path, m.sha256, m.bytes_on_disk AS size, t.upload_id AS uploadId
         FROM media m LEFT JOIN target_objects t ON t.bucket = ? AND t.object_key = ? || m.path
        WHERE m.id = ? AND m.status = 'done' AND m.path IS NOT NULL AND m.sha256 IS NOT NULL
          AND m.bytes_on_disk IS NOT NULL`,
    )
    .get(bucket, prefix, id) as StagedMedia | undefined;
}

/**
 * keepLocal false: media rows done whose object is in the bucket with their SHA-256, paged by id.
 * Their local copies are removed (a run killed between the HEAD and the delete left them behind).
 */
export function mediaInBucket(
  db: Db,
  bucket: string,
  prefix: string,
  afterId: number,
  limit = 1000,
): { id: number; path: string }[] {
  return db
    .prepare(
      `SELECT m.id, m.path FROM media m
         JOIN target_objects t ON t.bucket = ? AND t.object_key = ? || m.path
        WHERE m.id > ? AND m.status = 'done' AND m.path IS NOT NULL
          AND t.status = 'done' AND t.sha256 = m.sha256
        ORDER BY m.id LIMIT ?`,
    )
    .all(bucket, prefix, afterId, limit) as { id: number; path: string }[];
}

/** The largest media file stored so far: the reservation for a file whose size Feishu does not list. */
export function largestMedia(db: Db): number {
  const row = db.prepare(`SELECT MAX(bytes_on_disk) AS n FROM media WHERE status = 'done'`).get() as {
    n: number | null;
  };
  return row.n ?? 0;
}

/**
 * keepLocal false: a done media file counts as stored when it is on disk (staged) or checked in the
 * bucket, so the view links it (its links are read in the bucket's mirror of the layout).
 */
export function storedLocallyOrInBucket(
  db: Db,
  target: { bucket: string; prefix: string; keepLocal: boolean },
  onDisk: (stored: string) => boolean,
): ((stored: string) => boolean) | undefined {
  if (target.keepLocal) return undefined;
  const inBucket = db.prepare(
    `SELECT 1 FROM target_objects WHERE bucket = ? AND object_key = ? AND status = 'done'`,
  );
  return (stored) => onDisk(stored) || inBucket.get(target.bucket, target.prefix + stored) !== undefined;
}
