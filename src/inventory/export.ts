import type { Db } from './open.js';

export interface ExportSource {
  docType: string;
  docToken: string;
  location: string;
}

/** One media file, as `export` writes it for an audit. */
export interface ExportRow {
  fileToken: string;
  name: string | null;
  mimeType: string | null;
  size: number | null;
  sha256: string | null;
  status: string;
  /** Relative to outputDir; null until downloaded. */
  path: string | null;
  sources: ExportSource[];
}

/**
 * Streams the media inventory one row at a time (a prepared-statement iterator), so exporting a
 * million files does not hold them all in memory. References marked gone are left out of `sources`:
 * the media row stays, as the backup keeps what it had.
 */
export function* exportRows(db: Db): Generator<ExportRow> {
  const stmt = db.prepare(
    `SELECT m.file_token, m.name, m.mime_type, m.size, m.sha256, m.status, m.path,
            (SELECT json_group_array(json_object('docType', d.type, 'docToken', d.token, 'location', r.location))
               FROM media_refs r JOIN documents d ON d.id = r.document_id
              WHERE r.media_id = m.id AND r.gone_at IS NULL) AS sources
       FROM media m ORDER BY m.id`,
  );
  for (const r of stmt.iterate() as Iterable<{
    file_token: string;
    name: string | null;
    mime_type: string | null;
    size: number | null;
    sha256: string | null;
    status: string;
    path: string | null;
    sources: string | null;
  }>) {
    yield {
      fileToken: r.file_token,
      name: r.name,
      mimeType: r.mime_type,
      size: r.size,
      sha256: r.sha256,
      status: r.status,
      path: r.path,
      sources: r.sources ? (JSON.parse(r.sources) as ExportSource[]) : [],
    };
  }
}
