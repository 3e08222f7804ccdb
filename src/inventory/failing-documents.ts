import type { DocumentDirectory, RootIdentity } from './document-directory.js';
import type { Db } from './open.js';

/**
 * A document a failure is about, as a person finds it: a permission fix says "add the app to the
 * document that contains it", so every place that shows a failure names that document (its title,
 * kind and URL) and the root it was found under.
 */
export interface FailingDocument {
  /** `Roadmap / Tasks` for a base table. */
  title: string;
  /** People's word for it: Document, Spreadsheet, Base table... */
  kind: string;
  url: string | null;
  root: RootIdentity | null;
  /** Failed files it holds for this reason (0 when the document itself failed). */
  files: number;
}

/** How many documents each reason names; the rest are counted. */
export const DOCUMENTS_PER_REASON = 10;

/**
 * The documents holding the files that failed for one reason (`kind`, `code`), most files first:
 * one entry per document, however many files and raw messages it has. Only live references count, so
 * files whose documents are all gone from Feishu are left out, as they are from the failure counts.
 */
export function documentsFailingFor(
  db: Db,
  directory: DocumentDirectory,
  /** `code` undefined: every code of the kind (the report groups by kind alone). */
  reason: { kind: string; code?: string | null },
  limit = DOCUMENTS_PER_REASON,
): { documents: FailingDocument[]; total: number } {
  const rows = db
    .prepare(
      `SELECT r.document_id AS id, COUNT(DISTINCT m.id) AS files
         FROM media m JOIN media_refs r ON r.media_id = m.id AND r.gone_at IS NULL
        WHERE m.status IN ('failed', 'error') AND COALESCE(m.error_kind, 'unknown') = ?
          ${reason.code === undefined ? '' : 'AND m.error_code IS ?'}
        GROUP BY r.document_id ORDER BY files DESC, r.document_id`,
    )
    .all(...(reason.code === undefined ? [reason.kind] : [reason.kind, reason.code])) as {
    id: number;
    files: number;
  }[];
  return {
    documents: rows.slice(0, limit).map((r) => describe(directory, r.id, r.files)),
    total: rows.length,
  };
}

/** The documents that could not be read for one reason (or, with `only`, that one document). */
export function documentsFailedFor(
  db: Db,
  directory: DocumentDirectory,
  kind: string,
  limit = DOCUMENTS_PER_REASON,
  only?: number,
): { documents: FailingDocument[]; total: number } {
  const ids = db
    .prepare(
      `SELECT id FROM documents WHERE status = 'error' AND COALESCE(error_kind, 'unknown') = ?
        ${only === undefined ? '' : 'AND id = ?'} ORDER BY id`,
    )
    .pluck()
    .all(...(only === undefined ? [kind] : [kind, only])) as number[];
  return { documents: ids.slice(0, limit).map((id) => describe(directory, id, 0)), total: ids.length };
}

/** The documents holding one media file, for a failure's log line. */
export function documentsHolding(db: Db, directory: DocumentDirectory, mediaId: number): FailingDocument[] {
  const ids = db
    .prepare(
      'SELECT DISTINCT document_id FROM media_refs WHERE media_id = ? AND gone_at IS NULL ORDER BY document_id LIMIT 5',
    )
    .pluck()
    .all(mediaId) as number[];
  return ids.map((id) => describe(directory, id, 1));
}

function describe(directory: DocumentDirectory, id: number, files: number): FailingDocument {
  const doc = directory.get(id);
  return {
    title: doc?.title ?? `document #${id}`,
    kind: doc?.kind ?? 'Document',
    url: doc?.url ?? null,
    root: directory.rootOf(id),
    files,
  };
}

/** `"Roadmap / Tasks" (Base table, https://…) in root "Team"`: one document, in one line. */
export function describeDocument(d: FailingDocument): string {
  const where = [d.kind, d.url].filter(Boolean).join(', ');
  const root = d.root ? ` in root "${d.root.title}"${d.root.url ? ` (${d.root.url})` : ''}` : '';
  return `"${d.title}" (${where})${root}`;
}
