import { existsSync } from 'node:fs';
import path from 'node:path';
import { DocumentDirectory } from '../inventory/document-directory.js';
import { documentsFailingFor } from '../inventory/failing-documents.js';
import type { Db } from '../inventory/open.js';
import { type FailureRow, groupFailures, mimeBars, sizeBars, totalsByState } from './aggregate.js';
import { hrefMaker, safeHttpUrl, tenantDomain } from './links.js';
import { collectNotBackedUp } from './not-backed-up.js';
import {
  collectDocuments,
  collectRoots,
  collectRuns,
  documentTypeBars,
  largestDocuments,
  safeUrls,
} from './queries.js';
import { collectTarget } from './target.js';
import type { MediaState, ReportData, ReportMedia, ReportMeta } from './types.js';

interface MediaRow {
  id: number;
  file_token: string;
  name: string | null;
  size: number | null;
  mime_type: string | null;
  status: string;
  path: string | null;
  sha256: string | null;
  error_kind: string | null;
  error_message: string | null;
  error_fix: string | null;
  live: number;
  refs: number;
}

/**
 * Reads everything the audit report shows from the inventory, in one read transaction so the
 * numbers agree with each other even while a backup is writing.
 */
export function collectReportData(db: Db, meta: ReportMeta): ReportData {
  return db.transaction(() => collect(db, meta))();
}

function collect(db: Db, meta: ReportMeta): ReportData {
  const mimeIndex = new Map<string, number>();
  const mimeTypes: string[] = [];
  const indexOfMime = (mime: string | null): number => {
    const key = mime || 'unknown';
    let i = mimeIndex.get(key);
    if (i === undefined) {
      i = mimeTypes.push(key) - 1;
      mimeIndex.set(key, i);
    }
    return i;
  };

  const appearsIn = documentsPerMedia(db);
  const hrefOf = hrefMaker(meta.reportPath, meta.outputDir);
  // keepLocal false: a file is deleted once its object is checked, so only those still staged link.
  const linkable =
    meta.target && !meta.target.keepLocal
      ? (p: string) => existsSync(path.join(meta.outputDir, p))
      : () => true;
  const failureRows: FailureRow[] = [];
  const media: ReportMedia[] = [];
  const rows = db
    .prepare(
      `SELECT m.id, m.file_token, m.name, COALESCE(m.size, m.bytes_on_disk) AS size, m.mime_type, m.status,
              m.path, m.sha256, m.error_kind, m.error_message, m.error_fix,
              EXISTS (SELECT 1 FROM media_refs r WHERE r.media_id = m.id AND r.gone_at IS NULL) AS live,
              EXISTS (SELECT 1 FROM media_refs r WHERE r.media_id = m.id) AS refs
         FROM media m
        ORDER BY COALESCE(m.size, m.bytes_on_disk, -1) DESC, m.id`,
    )
    .iterate() as Iterable<MediaRow>;
  for (const r of rows) {
    const state = stateOf(r);
    const name = r.name || r.file_token;
    const error =
      state === 'failed' ? [r.error_kind ?? 'unknown', r.error_message].filter(Boolean).join(': ') : null;
    if (state === 'failed') {
      failureRows.push({
        name,
        size: r.size,
        kind: r.error_kind,
        message: r.error_message,
        fix: r.error_fix,
      });
    }
    media.push({
      id: r.id,
      fileToken: r.file_token,
      name,
      mimeIndex: indexOfMime(r.mime_type),
      size: r.size,
      sha256: r.sha256,
      state,
      status: r.status,
      appearsIn: appearsIn.get(r.id) ?? [],
      href: r.path && r.status === 'done' && linkable(r.path) ? hrefOf(r.path) : null,
      error,
    });
  }

  const directory = new DocumentDirectory(db);
  const documents = collectDocuments(db, directory);
  const byState = totalsByState(media);
  // The tenant as people know it: its own domain from a listing URL, not the API host.
  const origin = directory.origin;
  const failures = groupFailures(failureRows).map((g) => {
    const named = documentsFailingFor(db, directory, { kind: g.kind });
    return { ...g, documents: named.documents.map(safeUrls), documentCount: named.total };
  });
  return {
    generatedAt: (meta.generatedAt ?? new Date()).toISOString(),
    tenant: {
      baseUrl: safeHttpUrl(meta.baseUrl) ?? meta.baseUrl,
      domain: origin ? new URL(origin).host : tenantDomain(meta.baseUrl),
      origin,
    },
    roots: collectRoots(db, meta.roots, directory),
    runs: collectRuns(db),
    documentsByType: documents.byType,
    documentCount: documents.count,
    totals: {
      files: media.length,
      bytes: media.reduce((n, m) => n + (m.size ?? 0), 0),
    },
    byState,
    charts: {
      byMime: mimeBars(media, mimeTypes),
      bySize: sizeBars(media),
      byDocumentType: documentTypeBars(db),
      largestDocuments: largestDocuments(db, 10, directory),
    },
    failures,
    documentFailures: documents.failures,
    mimeTypes,
    documents: documents.referenced,
    media,
    notBackedUp: collectNotBackedUp(db),
    ...(meta.target ? { target: collectTarget(db, meta.target) } : {}),
  };
}

/**
 * A file whose every reference is gone is gone, as the download queue and `export` count it
 * (`GONE_FROM_FEISHU`). A file with no reference at all is not: nothing says it left (only an
 * inventory filled by hand has one), so its download status decides, as for any other file;
 * `partial` is still on its way.
 */
function stateOf(r: MediaRow): MediaState {
  if (r.refs && !r.live) return 'gone';
  switch (r.status) {
    case 'done':
      return 'backed_up';
    case 'failed':
    case 'error':
      return 'failed';
    default:
      return 'pending';
  }
}

/** media id -> distinct document ids, documents that still reference the file first. */
function documentsPerMedia(db: Db): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const rows = db
    .prepare(
      `SELECT media_id, document_id FROM media_refs
        GROUP BY media_id, document_id
        ORDER BY media_id, MIN(gone_at IS NOT NULL), MIN(id)`,
    )
    .raw()
    .iterate() as Iterable<[number, number]>;
  for (const [mediaId, documentId] of rows) {
    const list = out.get(mediaId);
    if (list) list.push(documentId);
    else out.set(mediaId, [documentId]);
  }
  return out;
}
