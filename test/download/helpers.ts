import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DownloadLimits } from '../../src/download/types.js';
import type { Db } from '../../src/inventory/open.js';
import { openInventory } from '../../src/inventory/open.js';

/** A temp directory and a migrated inventory inside it; `cleanup()` removes both. */
export function tempInventory(): { dir: string; dbFile: string; db: Db; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'fb-download-'));
  const dbFile = join(dir, 'inventory.sqlite');
  const db = openInventory(dbFile);
  return {
    dir,
    dbFile,
    db,
    cleanup: () => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Inserts a media row as the crawl would; returns its id. */
export function insertMedia(
  db: Db,
  m: {
    file_token: string;
    name?: string | null;
    size?: number | null;
    mime?: string | null;
    extra?: string | null;
  },
): number {
  return Number(
    db
      .prepare('INSERT INTO media (file_token, name, size, mime_type, extra) VALUES (?, ?, ?, ?, ?)')
      .run(m.file_token, m.name ?? null, m.size ?? null, m.mime ?? null, m.extra ?? null).lastInsertRowid,
  );
}

/** Inserts a document and a reference from it to a media row (with the `extra` it came with). */
export function insertRef(
  db: Db,
  mediaId: number,
  doc: { type: string; token: string; title: string },
  extra: string | null = null,
): void {
  db.prepare('INSERT OR IGNORE INTO documents (type, token, title) VALUES (?, ?, ?)').run(
    doc.type,
    doc.token,
    doc.title,
  );
  const { id } = db
    .prepare('SELECT id FROM documents WHERE type = ? AND token = ?')
    .get(doc.type, doc.token) as {
    id: number;
  };
  db.prepare(
    "INSERT INTO media_refs (media_id, document_id, location, kind, extra) VALUES (?, ?, ?, 'image', ?)",
  ).run(mediaId, id, `blk${mediaId}`, extra);
}

export function newRun(db: Db): number {
  return Number(
    db.prepare("INSERT INTO runs (command, started_at) VALUES ('download', ?)").run(new Date().toISOString())
      .lastInsertRowid,
  );
}

export interface MediaRowView {
  file_token: string;
  status: string;
  path: string | null;
  sha256: string | null;
  bytes_on_disk: number | null;
  error_kind: string | null;
  error_fix: string | null;
  attempts: number;
}

export function mediaRow(db: Db, token: string): MediaRowView {
  return db.prepare('SELECT * FROM media WHERE file_token = ?').get(token) as MediaRowView;
}

/** Every download through temporary URLs (download.via tmp-url), rate and day limits out of the way. */
export function tmpUrlLimits(concurrency: number): DownloadLimits {
  return { qps: 50, perDay: 10_000, concurrency, dayBoundaryTimeZone: 'Asia/Shanghai', via: 'tmp-url' };
}

/** The file tokens a batch_get_tmp_download_url request asked for (one or many `file_tokens`). */
export function tokensOf(query: unknown): string[] {
  const t = (query as Record<string, string | string[]>).file_tokens;
  return Array.isArray(t) ? t : t === undefined ? [] : [t];
}
