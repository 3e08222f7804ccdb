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
export function collectRoots(db: Db, configured: readonly string[]): RootSummary[] {
  const known = db
    .prepare(
      `SELECT r.spec, (SELECT COUNT(*) FROM documents d WHERE d.root_id = r.id AND d.status <> 'gone') AS documents
         FROM roots r ORDER BY r.id`,
    )
    .all() as { spec: string; documents: number }[];
  const bySpec = new Map(known.map((r) => [r.spec, r.documents]));
  const out: RootSummary[] = configured.map((spec) => ({
    spec,
    documents: bySpec.get(spec) ?? 0,
    crawled: bySpec.has(spec),
  }));
  for (const r of known) {
    if (!configured.includes(r.spec)) out.push({ spec: r.spec, documents: r.documents, crawled: true });
  }
  return out;
}

export interface DocumentSummary {
  count: number;
  byType: { type: string; count: number; failed: number; gone: number }[];
  failures: DocumentFailureGroup[];
  /** Documents some media row references, for the table's "appears in" column. */
  referenced: ReportDocument[];
}

export function collectDocuments(db: Db): DocumentSummary {
  const byType = db
    .prepare(
      `SELECT type, COUNT(*) AS count, SUM(status = 'error') AS failed, SUM(status = 'gone') AS gone
         FROM documents GROUP BY type ORDER BY count DESC, type`,
    )
    .all() as DocumentSummary['byType'];
  const referenced = (
    db
      .prepare(
        `SELECT id, type, COALESCE(title, token) AS title, url FROM documents
          WHERE id IN (SELECT document_id FROM media_refs) ORDER BY id`,
      )
      .all() as ReportDocument[]
  ).map((d) => ({ ...d, url: safeHttpUrl(d.url) }));
  return {
    count: byType.reduce((n, t) => n + t.count, 0),
    byType,
    failures: documentFailures(db),
    referenced,
  };
}

function documentFailures(db: Db): DocumentFailureGroup[] {
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
  return [...groups.values()].sort((a, b) => b.documents - a.documents);
}

/**
 * Distinct (document, media) pairs still referenced, so a file pasted twice in one document counts
 * once for it. The same file in two documents counts for both: that is where it lives.
 */
const LIVE_PAIRS = `SELECT DISTINCT r.document_id, r.media_id, COALESCE(m.size, m.bytes_on_disk, 0) AS bytes
                      FROM media_refs r JOIN media m ON m.id = r.media_id
                     WHERE r.gone_at IS NULL`;

export function documentTypeBars(db: Db): ChartBar[] {
  return db
    .prepare(
      `SELECT label, COUNT(*) AS files, SUM(bytes) AS bytes
         FROM (SELECT DISTINCT d.type AS label, p.media_id, p.bytes
                 FROM (${LIVE_PAIRS}) p JOIN documents d ON d.id = p.document_id)
        GROUP BY label ORDER BY files DESC, label`,
    )
    .all() as ChartBar[];
}

export function largestDocuments(db: Db, limit: number): LargestDocument[] {
  const rows = db
    .prepare(
      `SELECT d.id, d.type, COALESCE(d.title, d.token) AS title, d.url,
              COUNT(*) AS files, SUM(p.bytes) AS bytes
         FROM (${LIVE_PAIRS}) p JOIN documents d ON d.id = p.document_id
        GROUP BY d.id ORDER BY bytes DESC, files DESC, d.id LIMIT ?`,
    )
    .all(limit) as LargestDocument[];
  return rows.map((d) => ({ ...d, url: safeHttpUrl(d.url) }));
}
