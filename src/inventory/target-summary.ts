import type { Db } from './open.js';

/** An object whose last upload (or verify) failed: retried by the next backup or download. */
export interface TargetFailure {
  key: string;
  code: string;
  message: string;
}

/** The failed objects under the prefix, newest attempt first (at most `limit`), and how many in all. */
export function targetFailures(
  db: Db,
  bucket: string,
  prefix: string,
  limit = 20,
): { total: number; failures: TargetFailure[] } {
  const where = `bucket = ? AND substr(object_key, 1, ?) = ? AND status = 'error'`;
  const total = (
    db
      .prepare(`SELECT COUNT(*) AS n FROM target_objects WHERE ${where}`)
      .get(bucket, prefix.length, prefix) as {
      n: number;
    }
  ).n;
  const failures = db
    .prepare(
      `SELECT object_key AS key, COALESCE(error_code, 'error') AS code, COALESCE(error_message, '') AS message
         FROM target_objects WHERE ${where} ORDER BY id DESC LIMIT ?`,
    )
    .all(bucket, prefix.length, prefix, limit) as TargetFailure[];
  return { total, failures };
}

/** Multipart uploads left in flight by an interrupted run: the next run continues them. */
export function uploadsInFlight(
  db: Db,
  bucket: string,
  prefix: string,
): { uploads: number; bytesSent: number } {
  return db
    .prepare(
      `SELECT COUNT(*) AS uploads, COALESCE(SUM(
                (SELECT SUM(p.size) FROM target_upload_parts p WHERE p.bucket = t.bucket AND p.upload_id = t.upload_id)
              ), 0) AS bytesSent
         FROM target_objects t
        WHERE t.bucket = ? AND substr(t.object_key, 1, ?) = ? AND t.upload_id IS NOT NULL`,
    )
    .get(bucket, prefix.length, prefix) as { uploads: number; bytesSent: number };
}
