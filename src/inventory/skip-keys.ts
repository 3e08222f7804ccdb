import type { Db } from './open.js';

/** What a document holds in the inventory: its live references and the documents found inside it. */
export interface LiveContent {
  refs: Set<string>;
  children: Set<number>;
}

/** How a read of a document whose skip key did not move differs from what the inventory held. */
export interface ContentDiff {
  refsNew: number;
  refsGone: number;
  childrenNew: number;
  childrenGone: number;
  /** The snapshot content differs from the one kept for the same key (0 or 1; 0 without snapshots). */
  contentChanged: number;
}

/** One `skip_key_misses` row as `status` shows it, with its document. */
export interface SkipKeyMiss extends ContentDiff {
  type: string;
  token: string;
  title: string | null;
  skipKey: string;
  runId: number;
  foundAt: string;
}

/** The skip-key checks (migration 0012): when a full read is due, and what full reads found. */
export class SkipKeyRepo {
  readonly #refs;
  readonly #children;
  readonly #miss;
  readonly #lastRead;
  readonly #fullDone;

  constructor(db: Db) {
    this.#refs = db
      .prepare<[number], string>(
        "SELECT media_id || '@' || location FROM media_refs WHERE document_id = ? AND gone_at IS NULL",
      )
      .pluck();
    this.#children = db
      .prepare<[number], number>(
        'SELECT child_id FROM document_links WHERE parent_id = ? AND gone_run IS NULL',
      )
      .pluck();
    this.#miss = db.prepare(
      `INSERT INTO skip_key_misses (document_id, run_id, skip_key, refs_new, refs_gone, children_new,
         children_gone, content_changed, found_at)
       VALUES (@documentId, @runId, @skipKey, @refsNew, @refsGone, @childrenNew, @childrenGone,
         @contentChanged, @at)`,
    );
    this.#lastRead = db
      .prepare<[number], string | null>('SELECT last_crawled_at FROM documents WHERE id = ?')
      .pluck();
    this.#fullDone = db.prepare(
      `INSERT OR REPLACE INTO full_reads (run_id, reason, checked, misses, finished_at)
       VALUES (@runId, @reason, @checked, @misses, @at)`,
    );
  }

  /** Read before and after a checking read, in the same transaction as the pass's last write. */
  live(documentId: number): LiveContent {
    return { refs: new Set(this.#refs.all(documentId)), children: new Set(this.#children.all(documentId)) };
  }

  /** Records a document whose content changed while `skipKey` stayed. */
  recordMiss(documentId: number, runId: number, skipKey: string, diff: ContentDiff): void {
    this.#miss.run({ documentId, runId, skipKey, ...diff, at: new Date().toISOString() });
  }

  /** When the document's content was last read (ms since the epoch), or undefined if never. */
  lastRead(documentId: number): number | undefined {
    const at = this.#lastRead.get(documentId);
    return at ? Date.parse(at) : undefined;
  }

  fullReadDone(runId: number, reason: string, checked: number, misses: number): void {
    this.#fullDone.run({ runId, reason, checked, misses, at: new Date().toISOString() });
  }
}

/** What changed between two `live` reads of one document (and whether its snapshot content did). */
export function diffContent(before: LiveContent, after: LiveContent, contentChanged = false): ContentDiff {
  const missing = <T>(a: Set<T>, b: Set<T>): number => [...a].filter((x) => !b.has(x)).length;
  return {
    refsNew: missing(after.refs, before.refs),
    refsGone: missing(before.refs, after.refs),
    childrenNew: missing(after.children, before.children),
    childrenGone: missing(before.children, after.children),
    contentChanged: contentChanged ? 1 : 0,
  };
}

export function changed(diff: ContentDiff): boolean {
  return diff.refsNew + diff.refsGone + diff.childrenNew + diff.childrenGone + diff.contentChanged > 0;
}

/**
 * For `status`: every skip-key miss with its document, newest first, and when the last full read
 * finished. Empty on an inventory older than migration 0012.
 */
export function readSkipKeyChecks(
  db: Db,
  limit = 20,
): { total: number; misses: SkipKeyMiss[]; lastFullRead: string | null } {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'skip_key_misses'")
    .get();
  if (!exists) return { total: 0, misses: [], lastFullRead: null };
  const total = db.prepare('SELECT COUNT(*) FROM skip_key_misses').pluck().get() as number;
  const misses = db
    .prepare<[number], SkipKeyMiss>(
      `SELECT d.type, d.token, d.title, m.skip_key AS skipKey, m.run_id AS runId, m.found_at AS foundAt,
              m.refs_new AS refsNew, m.refs_gone AS refsGone, m.children_new AS childrenNew,
              m.children_gone AS childrenGone, m.content_changed AS contentChanged
         FROM skip_key_misses m JOIN documents d ON d.id = m.document_id
        ORDER BY m.id DESC LIMIT ?`,
    )
    .all(limit);
  const lastFullRead = db.prepare('SELECT MAX(finished_at) FROM full_reads').pluck().get() as string | null;
  return { total, misses, lastFullRead };
}
