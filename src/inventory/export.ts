import { DocumentDirectory } from './document-directory.js';
import { GONE_FROM_FEISHU } from './media-queue.js';
import type { Db } from './open.js';

/**
 * One place a file is referenced, as the object a person can open: a base table's file is in the
 * base (`docType: "bitable"`, `docToken`: the app token) at `<table id>/<record id>/<field id>`; a
 * sheet's at `<sheet id>!<cell>` (or `float:<id>`) of the spreadsheet; a docx's at its block id.
 */
export interface ExportSource {
  docType: string;
  docToken: string;
  location: string;
  /** The document's title; `<base title> / <table name>` for a base table. */
  title: string;
  /** Where it opens, on the tenant's own domain; null when no listing gave the domain. */
  url: string | null;
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
  /** Bytes: as the source announced them, else as written to disk. Null only for a file not on disk whose size no source gave. */
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
  const directory = new DocumentDirectory(db);
  const stmt = db.prepare(
    `SELECT media.file_token, media.name, media.mime_type,
            COALESCE(media.size, CASE WHEN media.path IS NOT NULL THEN media.bytes_on_disk END) AS size,
            media.sha256, media.status, media.path,
            (SELECT json_group_array(json_array(r.document_id, r.location,
                      json((SELECT json_group_array(json_object('docType', p.type, 'docToken', p.token, 'via', l.via))
                              FROM document_links l JOIN documents p ON p.id = l.parent_id
                             WHERE l.child_id = r.document_id AND l.via IS NOT NULL AND l.gone_run IS NULL)),
                      (SELECT seen_as FROM documents WHERE id = r.document_id)))
               FROM media_refs r WHERE r.media_id = media.id AND r.gone_at IS NULL) AS sources,
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
      sources: r.sources ? openable(directory, JSON.parse(r.sources) as SourceRow[]) : [],
      goneFromFeishu: r.gone === 1,
    };
  }
}

type SourceRow = [number, string, ExportSource['referencedFrom'], string | null];

function openable(directory: DocumentDirectory, refs: SourceRow[]): ExportSource[] {
  const out: ExportSource[] = [];
  for (const [documentId, location, referencedFrom, seenAs] of refs) {
    const doc = directory.get(documentId);
    if (!doc) continue;
    out.push({
      docType: doc.docType,
      docToken: doc.docToken,
      location: doc.tableId ? `${doc.tableId}/${location}` : location,
      title: doc.title,
      url: directory.sourceUrl(doc, location),
      seenAs: seenAs ?? null,
      ...(referencedFrom?.length ? { referencedFrom } : {}),
    });
  }
  return out;
}
