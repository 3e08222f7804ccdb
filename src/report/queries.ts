import { DocumentDirectory } from '../inventory/document-directory.js';
import { DOCUMENT_KINDS, isDocumentKind, kindOrder, kindWord } from '../inventory/document-names.js';
import { documentsFailedFor, type FailingDocument } from '../inventory/failing-documents.js';
import type { Db } from '../inventory/open.js';
import { safeHttpUrl } from './links.js';
import type {
  ChartBar,
  DocumentFailureGroup,
  LargestDocument,
  ReportDocument,
  RootSummary,
  RunSummary,
} from './types.js';

/** How many runs the report lists; older ones add nothing an auditor needs. */
const RUNS_SHOWN = 20;

export function collectRuns(db: Db): RunSummary[] {
  const rows = db
    .prepare(
      `SELECT id, command, started_at, ended_at, status FROM runs ORDER BY started_at DESC, id DESC LIMIT ?`,
    )
    .all(RUNS_SHOWN) as {
    id: number;
    command: string;
    started_at: string;
    ended_at: string | null;
    status: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    command: r.command,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    status: r.status,
  }));
}

/**
 * The configured roots first, in their order, then any the inventory knows from earlier configs, each
 * with the documents found under it that are still in Feishu (gone ones are counted by type instead).
 */
export function collectRoots(
  db: Db,
  configured: readonly string[],
  directory = new DocumentDirectory(db),
): RootSummary[] {
  const known = db
    .prepare(
      `SELECT r.id, r.spec, (SELECT COUNT(*) FROM documents d WHERE d.root_id = r.id AND d.status <> 'gone'
                                AND d.type IN (${DOCUMENT_KINDS.map((k) => `'${k}'`).join(', ')})) AS documents
         FROM roots r ORDER BY r.id`,
    )
    .all() as { id: number; spec: string; documents: number }[];
  const named = (r: { id: number; spec: string; documents: number }): RootSummary => {
    const root = directory.root(r.id);
    return {
      spec: r.spec,
      title: root?.title ?? r.spec,
      url: safeHttpUrl(root?.url ?? null),
      documents: r.documents,
      crawled: true,
    };
  };
  const bySpec = new Map(known.map((r) => [r.spec, r]));
  const out: RootSummary[] = configured.map((spec) => {
    const r = bySpec.get(spec);
    return r ? named(r) : { spec, title: spec, url: null, documents: 0, crawled: false };
  });
  for (const r of known) if (!configured.includes(r.spec)) out.push(named(r));
  return out;
}

export interface DocumentSummary {
  /** Documents alone: not folders, wiki pages or base tables (DOCUMENT_KINDS). */
  count: number;
  byType: { type: string; label: string; document: boolean; count: number; failed: number; gone: number }[];
  failures: DocumentFailureGroup[];
  /** Documents some media row references, for the table's "appears in" column. */
  referenced: ReportDocument[];
}

export function collectDocuments(db: Db, directory = new DocumentDirectory(db)): DocumentSummary {
  const byType = (
    db
      .prepare(
        `SELECT type, COUNT(*) AS count, SUM(status = 'error') AS failed, SUM(status = 'gone') AS gone
           FROM documents GROUP BY type ORDER BY count DESC, type`,
      )
      .all() as { type: string; count: number; failed: number; gone: number }[]
  )
    .map((t) => ({ ...t, label: kindWord(t.type, t.count), document: isDocumentKind(t.type) }))
    .sort((a, b) => Number(b.document) - Number(a.document) || kindOrder(a.type) - kindOrder(b.type));
  const referenced = (
    db
      .prepare('SELECT id, type FROM documents WHERE id IN (SELECT document_id FROM media_refs) ORDER BY id')
      .all() as { id: number; type: string }[]
  ).map((d) => named(directory, d));
  return {
    count: byType.filter((t) => t.document).reduce((n, t) => n + t.count, 0),
    byType,
    failures: documentFailures(db, directory),
    referenced,
  };
}

/** A document as the report shows it: `Base / Table` titles, http(s) URLs only. */
function named(directory: DocumentDirectory, d: { id: number; type: string }): ReportDocument {
  const doc = directory.get(d.id);
  return { id: d.id, type: d.type, title: doc?.title ?? `#${d.id}`, url: safeHttpUrl(doc?.url ?? null) };
}

function documentFailures(db: Db, directory: DocumentDirectory): DocumentFailureGroup[] {
  const rows = db
    .prepare(
      `SELECT COALESCE(error_kind, 'unknown') AS kind, error_fix AS fix, COALESCE(title, token) AS title
         FROM documents WHERE status = 'error' ORDER BY kind, id`,
    )
    .all() as { kind: string; fix: string | null; title: string }[];
  const groups = new Map<string, DocumentFailureGroup>();
  for (const r of rows) {
    let g = groups.get(r.kind);
    if (!g) {
      g = { kind: r.kind, documents: 0, fixes: [], examples: [] };
      groups.set(r.kind, g);
    }
    g.documents++;
    if (r.fix && !g.fixes.includes(r.fix)) g.fixes.push(r.fix);
    if (g.examples.length < 5) g.examples.push(r.title);
  }
  for (const g of groups.values()) {
    g.named = documentsFailedFor(db, directory, g.kind).documents.map(safeUrls);
  }
  return [...groups.values()].sort((a, b) => b.documents - a.documents);
}

/** Failing documents with only http(s) URLs, for the report. */
export function safeUrls(d: FailingDocument): FailingDocument {
  return {
    ...d,
    url: safeHttpUrl(d.url),
    root: d.root ? { ...d.root, url: safeHttpUrl(d.root.url) } : null,
  };
}

/**
 * Distinct (document, media) pairs still referenced, so a file pasted twice in one document counts
 * once for it. The same file in two documents counts for both: that is where it lives.
 */
const LIVE_PAIRS = `SELECT DISTINCT r.document_id, r.media_id, COALESCE(m.size, m.bytes_on_disk, 0) AS bytes
                      FROM media_refs r JOIN media m ON m.id = r.media_id
                     WHERE r.gone_at IS NULL`;

export function documentTypeBars(db: Db): ChartBar[] {
  return (
    db
      .prepare(
        `SELECT label, COUNT(*) AS files, SUM(bytes) AS bytes
         FROM (SELECT DISTINCT d.type AS label, p.media_id, p.bytes
                 FROM (${LIVE_PAIRS}) p JOIN documents d ON d.id = p.document_id)
        GROUP BY label ORDER BY files DESC, label`,
      )
      .all() as ChartBar[]
  ).map((b) => ({ ...b, label: kindWord(b.label, 2) }));
}

export function largestDocuments(
  db: Db,
  limit: number,
  directory = new DocumentDirectory(db),
): LargestDocument[] {
  const rows = db
    .prepare(
      `SELECT d.id, d.type, COALESCE(d.title, d.token) AS title, d.url,
              COUNT(*) AS files, SUM(p.bytes) AS bytes
         FROM (${LIVE_PAIRS}) p JOIN documents d ON d.id = p.document_id
        GROUP BY d.id ORDER BY bytes DESC, files DESC, d.id LIMIT ?`,
    )
    .all(limit) as LargestDocument[];
  return rows.map((d) => ({ ...d, ...named(directory, d) }));
}
