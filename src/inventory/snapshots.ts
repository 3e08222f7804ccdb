import type { Db } from './open.js';

/** What a published snapshot file is (migration 0005). */
export interface SnapshotRecord {
  documentId: number;
  revision: string;
  kind: string;
  /** Relative to outputDir, `/` separators. */
  path: string;
  bytes: number;
  contentBytes: number;
  sha256: string;
}

export interface SnapshotRow {
  id: number;
  document_id: number;
  revision: string;
  kind: string;
  path: string;
  bytes: number;
  content_bytes: number;
  sha256: string;
  created_at: string;
}

/** Prepared statements for `snapshots`. Synchronous: `record` runs in the document's final transaction. */
export class SnapshotRepo {
  readonly #upsert;
  readonly #has;
  readonly #path;

  constructor(db: Db) {
    // Publishing the same revision again (a crash between rename and commit) refreshes its row.
    this.#upsert = db.prepare(
      `INSERT INTO snapshots (document_id, revision, kind, path, bytes, content_bytes, sha256, run_id, created_at)
       VALUES (@documentId, @revision, @kind, @path, @bytes, @contentBytes, @sha256, @runId, @at)
       ON CONFLICT (document_id, revision) DO UPDATE SET kind = @kind, path = @path, bytes = @bytes,
         content_bytes = @contentBytes, sha256 = @sha256, run_id = @runId`,
    );
    this.#has = db.prepare<[number, string], { n: number }>(
      'SELECT COUNT(*) AS n FROM snapshots WHERE document_id = ? AND revision = ?',
    );
    this.#path = db
      .prepare<[number, string], string>('SELECT path FROM snapshots WHERE document_id = ? AND revision = ?')
      .pluck();
  }

  /** Where the published snapshot of `revision` is (relative to outputDir), if there is one. */
  pathOf(documentId: number, revision: string): string | undefined {
    return this.#path.get(documentId, revision);
  }

  record(snapshot: SnapshotRecord, runId: number | null): void {
    this.#upsert.run({ ...snapshot, runId, at: new Date().toISOString() });
  }

  has(documentId: number, revision: string): boolean {
    return (this.#has.get(documentId, revision)?.n ?? 0) > 0;
  }
}

/** The newest snapshot of every document that has one, with what the view needs of the document. */
export interface LatestSnapshot extends SnapshotRow {
  type: string;
  token: string;
  title: string | null;
  parent_id: number | null;
}

export function latestSnapshots(db: Db): LatestSnapshot[] {
  return db
    .prepare<[], LatestSnapshot>(
      `SELECT s.*, d.type, d.token, d.title, d.parent_id
         FROM snapshots s JOIN documents d ON d.id = s.document_id
        WHERE s.id = (SELECT MAX(id) FROM snapshots WHERE document_id = s.document_id)
        ORDER BY d.type, d.title, d.token`,
    )
    .all();
}

/** Count and bytes on disk, for `status`; zero on an inventory older than migration 0005. */
export function snapshotTotals(db: Db): { count: number; bytes: number } {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshots'").get();
  if (!exists) return { count: 0, bytes: 0 };
  return db
    .prepare<[], { count: number; bytes: number }>(
      'SELECT COUNT(*) AS count, COALESCE(SUM(bytes), 0) AS bytes FROM snapshots',
    )
    .get()!;
}
