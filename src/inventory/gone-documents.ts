import type { Db } from './open.js';

export interface GoneSweepOptions {
  runId: number;
  /**
   * Roots this run crawled to the end (configured, not interrupted, nothing fatal). A root not in
   * this list (interrupted, or no longer configured) marks nothing gone: what it would find is unknown.
   */
  crawledRoots: readonly number[];
}

export interface HeldBack {
  rootId: number;
  spec: string;
  /** `unreadable`: a document under the root could not be read; `not_crawled`: not in this run's roots. */
  reason: 'unreadable' | 'not_crawled';
  /** Documents no root reaches any more, left as they were because this root was not read whole. */
  documents: number;
}

export interface GoneSweep {
  /** Documents marked gone in this run, by type. */
  byType: Record<string, number>;
  /** Live media references of those documents, marked gone with them. */
  refs: number;
  heldBack: HeldBack[];
}

/**
 * Every document reachable from a root document through live links: the roots of earlier configs
 * count too, so their documents stay as they were rather than being taken for gone.
 */
const LIVE = `live(id) AS (
  SELECT document_id FROM roots WHERE document_id IS NOT NULL
  UNION
  SELECT l.child_id FROM document_links l JOIN live ON l.parent_id = live.id WHERE l.gone_run IS NULL)`;

/**
 * Marks gone the documents no root reaches through live links any more (deleted, moved out of every
 * root, or inside a folder that went), and their media references; the media rows and files stay.
 *
 * Only a complete crawl may say a document is gone: a document stays as it is unless every root
 * that ever reached it (through links live or gone) was crawled to the end in this run with no
 * document under it unreadable. An unreadable folder might now hold what vanished elsewhere, as
 * rclone refuses to delete after an I/O error. Runs in one transaction.
 */
export function markUnreachableGone(db: Db, options: GoneSweepOptions): GoneSweep {
  return db.transaction(() => sweep(db, options))();
}

function sweep(db: Db, { runId, crawledRoots }: GoneSweepOptions): GoneSweep {
  const result: GoneSweep = { byType: {}, refs: 0, heldBack: [] };
  // Only documents found inside another can go: roots are errors when they vanish, not gone.
  const candidates = db
    .prepare(
      `WITH RECURSIVE ${LIVE}
       SELECT d.id, d.type FROM documents d
        WHERE d.status != 'gone'
          AND EXISTS (SELECT 1 FROM document_links l WHERE l.child_id = d.id)
          AND d.id NOT IN (SELECT id FROM live)`,
    )
    .all() as { id: number; type: string }[];
  if (candidates.length === 0) return result;

  const rootsOf = new Map<number, number[]>();
  for (const r of db
    .prepare(
      `WITH RECURSIVE up(cand, id) AS (
         SELECT value, value FROM json_each(?)
         UNION
         SELECT up.cand, l.parent_id FROM document_links l JOIN up ON l.child_id = up.id)
       SELECT DISTINCT up.cand, r.id AS root FROM up JOIN roots r ON r.document_id = up.id`,
    )
    .all(JSON.stringify(candidates.map((c) => c.id))) as { cand: number; root: number }[]) {
    const list = rootsOf.get(r.cand);
    if (list) list.push(r.root);
    else rootsOf.set(r.cand, [r.root]);
  }
  // Roots with an unreadable document (this run's failures, or older ones still reached) underneath.
  const unreadable = new Set(
    db
      .prepare(
        `WITH RECURSIVE up(id) AS (
           SELECT id FROM documents WHERE status = 'error'
           UNION
           SELECT l.parent_id FROM document_links l JOIN up ON l.child_id = up.id WHERE l.gone_run IS NULL)
         SELECT r.id FROM roots r JOIN up ON r.document_id = up.id`,
      )
      .pluck()
      .all() as number[],
  );
  const complete = (root: number): boolean => crawledRoots.includes(root) && !unreadable.has(root);

  const markDocument = db.prepare("UPDATE documents SET status = 'gone', gone_run = ? WHERE id = ?");
  const markRefs = db.prepare('UPDATE media_refs SET gone_at = ? WHERE document_id = ? AND gone_at IS NULL');
  // The pass is over: a document seen again later starts afresh rather than from a stale page.
  const clearCheckpoint = db.prepare('DELETE FROM crawl_checkpoints WHERE document_id = ?');
  const held = new Map<number, number>();
  const at = new Date().toISOString();
  for (const c of candidates) {
    const roots = rootsOf.get(c.id) ?? [];
    // Reached by no root, ever: nothing this crawl read can vouch that it went.
    if (roots.length === 0) continue;
    const blocking = roots.filter((r) => !complete(r));
    if (blocking.length > 0) {
      for (const r of blocking) held.set(r, (held.get(r) ?? 0) + 1);
      continue;
    }
    markDocument.run(runId, c.id);
    result.refs += markRefs.run(at, c.id).changes;
    clearCheckpoint.run(c.id);
    result.byType[c.type] = (result.byType[c.type] ?? 0) + 1;
  }
  const specOf = db.prepare<[number], { spec: string }>('SELECT spec FROM roots WHERE id = ?');
  for (const [rootId, documents] of held) {
    result.heldBack.push({
      rootId,
      spec: specOf.get(rootId)?.spec ?? String(rootId),
      reason: crawledRoots.includes(rootId) ? 'unreadable' : 'not_crawled',
      documents,
    });
  }
  return result;
}
