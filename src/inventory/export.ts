import { GONE_FROM_FEISHU } from './media-queue.js';
import type { Db } from './open.js';

export interface ExportSource {
  docType: string;
  docToken: string;
  location: string;
  /**
   * Where other documents lead to this one (document_links.via, migration 0013), e.g. the docx
   * whose synced block (`reference_synced:<blockId>`) shows it; absent when it was only listed.
   */
  referencedFrom?: { docType: string; docToken: string; via: string }[];
  /** Who saw the document: 'tenant' or 'user:<open_id>'; null before migration 0015. */
  seenAs?: string | null;
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
  /**
   * Every document that referenced it is gone from Feishu (or no longer holds it): a `done` file is a
   * copy of something deleted there; any other status will not be fetched while this holds.
   */
  goneFromFeishu: boolean;
}

/**
 * Streams the media inventory one row at a time (a prepared-statement iterator), so exporting a
 * million files does not hold them all in memory. References marked gone are left out of `sources`:
 * the media row stays, as the backup keeps what it had.
 */
export function* exportRows(db: Db): Generator<ExportRow> {
  const stmt = db.prepare(
    `SELECT media.file_token, media.name, media.mime_type, media.size, media.sha256, media.status, media.path,
            (SELECT json_group_array(json_object('docType', d.type, 'docToken', d.token, 'location', r.location, 'seenAs', d.seen_as,
                      'referencedFrom', json((SELECT json_group_array(json_object('docType', p.type,
                                                  'docToken', p.token, 'via', l.via))
                                               FROM document_links l JOIN documents p ON p.id = l.parent_id
                                              WHERE l.child_id = d.id AND l.via IS NOT NULL AND l.gone_run IS NULL))))
               FROM media_refs r JOIN documents d ON d.id = r.document_id
              WHERE r.media_id = media.id AND r.gone_at IS NULL) AS sources,
            ${GONE_FROM_FEISHU} AS gone
       FROM media ORDER BY media.id`,
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
    gone: number;
  }>) {
    yield {
      fileToken: r.file_token,
      name: r.name,
      mimeType: r.mime_type,
      size: r.size,
      sha256: r.sha256,
      status: r.status,
      path: r.path,
      sources: r.sources ? (JSON.parse(r.sources) as ExportSource[]).map(withoutEmptyReferences) : [],
      goneFromFeishu: r.gone === 1,
    };
  }
}

function withoutEmptyReferences(s: ExportSource): ExportSource {
  if (s.referencedFrom?.length) return s;
  const { referencedFrom: _, ...rest } = s;
  return rest;
}
