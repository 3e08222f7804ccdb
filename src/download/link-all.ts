import type { Logger } from '../events.js';
import type { MediaSource } from '../inventory/media-refs.js';
import type { Db } from '../inventory/open.js';
import { linkByDocument } from './by-document.js';

/**
 * Brings the `by-document` view up to date for every stored file, including files downloaded in
 * earlier runs that a later crawl found in another document. Idempotent; a failure is a warning.
 */
export async function linkAllDone(db: Db, outputDir: string, log: Logger): Promise<void> {
  // Pages by id: better-sqlite3 cannot run other statements while an iterator is open.
  const page = db.prepare<[number], Row>(
    `SELECT m.id, m.file_token, m.path, m.source FROM media m
     WHERE m.id > ? AND m.status = 'done' AND m.path IS NOT NULL
       AND EXISTS (SELECT 1 FROM media_refs r WHERE r.media_id = m.id AND r.gone_at IS NULL)
     ORDER BY m.id LIMIT 500`,
  );
  for (let rows = page.all(0); rows.length > 0; rows = page.all(rows.at(-1)!.id)) {
    for (const row of rows) await linkOne(db, outputDir, log, row);
  }
}

interface Row {
  id: number;
  file_token: string;
  path: string;
  source: MediaSource;
}

async function linkOne(db: Db, outputDir: string, log: Logger, row: Row): Promise<void> {
  try {
    await linkByDocument(db, outputDir, {
      id: row.id,
      fileToken: row.file_token,
      path: row.path,
      source: row.source,
    });
  } catch (e) {
    log({
      level: 'warn',
      event: 'download.link.failed',
      message: `Could not add the by-document entries of ${row.file_token}: ${(e as Error).message}`,
      fileToken: row.file_token,
    });
  }
}
