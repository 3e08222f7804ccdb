import type { Db } from './open.js';

/** A backed-up file whose bytes differ in number from the size its listing gave. */
export interface SizeDifference {
  fileToken: string;
  name: string | null;
  /** What the sheet or bitable listing said (`media.size`). */
  listedSize: number;
  /** What the server sent and the backup holds (`media.bytes_on_disk`). */
  bytes: number;
}

export interface SizeDifferences {
  count: number;
  /** The first few, largest difference first. */
  files: SizeDifference[];
}

/**
 * Files kept with the server's bytes although the listing named another size. A listed size is a
 * hint: media tokens are immutable, so a transfer that is complete by its own `Content-Length` (or
 * `Content-Range`) is the file (src/download/fetch-media.ts). Both sizes stay in the inventory; this
 * counts them so a real tenant can tell us when a listing's number is not the byte count.
 */
export function readSizeDifferences(db: Db, limit = 10): SizeDifferences {
  const where = `status = 'done' AND size IS NOT NULL AND bytes_on_disk IS NOT NULL AND size <> bytes_on_disk`;
  const count = db.prepare(`SELECT COUNT(*) FROM media WHERE ${where}`).pluck().get() as number;
  const files = count
    ? (db
        .prepare(
          `SELECT file_token AS fileToken, name, size AS listedSize, bytes_on_disk AS bytes FROM media
            WHERE ${where} ORDER BY abs(size - bytes_on_disk) DESC, id LIMIT ?`,
        )
        .all(limit) as SizeDifference[])
    : [];
  return { count, files };
}
