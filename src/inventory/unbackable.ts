import type { Db } from './open.js';

/**
 * Something in a document that looks like media but that nothing can download: no token, or a shape
 * we do not know. Feishu's docs do not promise every image a token (a sheet read with `ToString`
 * gives cell images without one), so each is recorded, counted and reported instead of skipped.
 */
export interface Unbackable {
  /**
   * Block id (`<blockId>/<key>[i]` for an inline file), `sheetId!A1` (`sheetId!A1[i]` inside a cell
   * array), `float:<id>`, `<recordId>/<fieldId>[i]`.
   */
  location: string;
  kind:
    | 'sheet_image'
    | 'sheet_attachment'
    | 'sheet_object'
    | 'docx_image'
    | 'docx_file'
    | 'docx_inline_file'
    | 'docx_block'
    | 'float_image'
    | 'bitable_attachment';
  reason: 'no_token' | 'unknown_type';
  /** The unknown type: a cell object's `type`, or `<block_type> <payload key>` of a docx block. */
  detail?: string | undefined;
  /** The sheet it sits in (see `FoundRef.scope`). */
  scope?: string | undefined;
}

/** What the reader is told about one kind of unbackable object; `detail` is appended by the caller. */
export const UNBACKABLE_TEXT: Record<string, string> = {
  'sheet_image/no_token': 'cell images came without a file token',
  'sheet_attachment/no_token': 'cell attachments came without a file token',
  'sheet_object/unknown_type': 'cell objects of a type we do not know',
  'docx_image/no_token': 'docx image blocks came without a token',
  'docx_file/no_token': 'docx file blocks came without a token',
  'docx_inline_file/no_token': 'inline files in docx text came without a file token',
  'float_image/no_token': 'floating sheet images came without a token',
  'docx_block/unknown_type': 'docx blocks of a type we do not handle carry a token',
  'bitable_attachment/no_token': 'bitable attachments came without a file token',
};

/** One line of "not backed up": a kind, why, and (for unknown types) which type. */
export interface UnbackableGroup {
  kind: string;
  reason: string;
  detail: string | null;
  count: number;
  /** `N cell images came without a file token: not backed up`. */
  text: string;
  /** A few of the documents holding them, with one location each. */
  documents: { type: string; token: string; title: string | null; location: string; count: number }[];
}

export interface UnbackableReport {
  /** Live objects (in documents not gone from Feishu): non-zero makes a run end with exit 3. */
  total: number;
  groups: UnbackableGroup[];
}

/** `N <what>: not backed up`. */
export function unbackableText(g: {
  kind: string;
  reason: string;
  detail: string | null;
  count: number;
}): string {
  const what = UNBACKABLE_TEXT[`${g.kind}/${g.reason}`] ?? `${g.kind} objects (${g.reason})`;
  return `${g.count} ${what}${g.detail ? ` (${g.detail})` : ''}: not backed up`;
}

const LIVE = `u.gone_at IS NULL AND d.status <> 'gone'`;

/** Reads the live unbackable objects, grouped by kind, reason and type, with a few documents each. */
export function readUnbackable(db: Db, documentsPerGroup = 5): UnbackableReport {
  // A read-only `status` of an inventory no newer run has migrated yet has no such table.
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'unbackable_objects'")
    .get();
  if (!exists) return { total: 0, groups: [] };
  const groups = (
    db
      .prepare(
        `SELECT u.kind, u.reason, u.detail, COUNT(*) AS count FROM unbackable_objects u
           JOIN documents d ON d.id = u.document_id WHERE ${LIVE}
          GROUP BY u.kind, u.reason, u.detail ORDER BY count DESC, u.kind, u.detail`,
      )
      .all() as Omit<UnbackableGroup, 'text' | 'documents'>[]
  ).map((g) => ({ ...g, text: unbackableText(g), documents: [] as UnbackableGroup['documents'] }));
  const docs = db.prepare<[string, string, string | null, number], UnbackableGroup['documents'][number]>(
    `SELECT d.type, d.token, d.title, MIN(u.location) AS location, COUNT(*) AS count
       FROM unbackable_objects u JOIN documents d ON d.id = u.document_id
      WHERE ${LIVE} AND u.kind = ? AND u.reason = ? AND u.detail IS ?
      GROUP BY d.id ORDER BY count DESC, d.id LIMIT ?`,
  );
  for (const g of groups) g.documents = docs.all(g.kind, g.reason, g.detail, documentsPerGroup);
  return { total: groups.reduce((n, g) => n + g.count, 0), groups };
}

/** The crawl's writes: upserted per page, marked gone after a complete pass that no longer saw them. */
export class UnbackableRepo {
  readonly #upsert;
  readonly #gone;

  constructor(db: Db) {
    this.#upsert = db.prepare(
      `INSERT INTO unbackable_objects (document_id, location, kind, reason, detail, scope, first_seen_run, last_seen_run)
       VALUES (@documentId, @location, @kind, @reason, @detail, @scope, @runId, @runId)
       ON CONFLICT (document_id, location, kind) DO UPDATE SET reason = excluded.reason,
         detail = excluded.detail, scope = coalesce(excluded.scope, scope),
         last_seen_run = excluded.last_seen_run, gone_at = NULL`,
    );
    this.#gone = db.prepare(
      `UPDATE unbackable_objects SET gone_at = @at
       WHERE document_id = @documentId AND gone_at IS NULL AND coalesce(last_seen_run, 0) < @sinceRun
         AND (@scope IS NULL OR scope = @scope)`,
    );
  }

  /** Call inside the page's transaction. */
  record(documentId: number, found: readonly Unbackable[], runId: number): void {
    for (const u of found) {
      this.#upsert.run({
        documentId,
        location: u.location,
        kind: u.kind,
        reason: u.reason,
        detail: u.detail ?? null,
        scope: u.scope ?? null,
        runId,
      });
    }
  }

  /** As `MediaRefRepo.markGone`: what a pass begun at `sinceRun` (over `scope`) no longer found. */
  markGone(documentId: number, sinceRun: number, scope?: string): number {
    return this.#gone.run({ documentId, sinceRun, scope: scope ?? null, at: new Date().toISOString() })
      .changes;
  }
}
