import { documentedExtra, type ExtraForm, parseExtra } from '../feishu/bitable-extra.js';
import type { Db } from '../inventory/open.js';

/** What ExtraChoice needs of a media row. */
export interface ExtraRow {
  id: number;
  file_token: string;
  extra: string | null;
}

interface RefRow {
  extra: string | null;
  location: string;
  kind: string;
  doc_type: string;
  doc_token: string;
}

/**
 * Which `extra` to send for a media file, and which to try next when one is refused (400/403).
 *
 * Every bitable table hands out its own `extra` with each attachment, but only an
 * advanced-permission table's is checked: a file in such a table downloads only with that table's
 * `extra` (another table's: 403), while any other file ignores it. A file referenced by several
 * tables keeps, on its row, the `extra` seen last, so the first request may name the wrong table;
 * the others are then tried in turn (`candidates`). And each table's `extra` comes in two forms
 * (src/feishu/bitable-extra.ts): the server's own, from the attachment url, is sent first; the
 * documented `attachments` form, built from the reference (record and field ids), is the fallback
 * (https://open.feishu.cn/document/server-docs/docs/drive-v1/media/introduction).
 *
 * Nothing the crawl reads says which tables check `extra`, nor which form they take, but a run
 * learns both: a table whose `extra` succeeded after another was refused needs its own, in the form
 * that worked. That is then sent first for every file it references. What is learnt is kept in the
 * inventory (`advanced_tables`, migrations 0010 and 0013), so an inventory pays about one refused
 * call per advanced table once, not once per run (more only for files already in flight when it
 * learns).
 */
export class ExtraChoice {
  readonly #refs;
  readonly #remember;
  /** Tables whose `extra` a download needed, with the form that worked, this run or an earlier one. */
  readonly #needed: Map<string, ExtraForm>;

  constructor(db: Db) {
    this.#refs = db.prepare<[number], RefRow>(
      `SELECT r.extra, r.location, r.kind, d.type AS doc_type, d.token AS doc_token
       FROM media_refs r JOIN documents d ON d.id = r.document_id
       WHERE r.media_id = ? AND r.gone_at IS NULL ORDER BY r.id`,
    );
    this.#remember = db.prepare<[string, string, ExtraForm]>(
      `INSERT INTO advanced_tables (table_id, learned_at, form) VALUES (?, ?, ?)
       ON CONFLICT (table_id) DO UPDATE SET form = excluded.form, learned_at = excluded.learned_at`,
    );
    const rows = db
      .prepare<[], { table_id: string; form: string | null }>('SELECT table_id, form FROM advanced_tables')
      .all();
    this.#needed = new Map(
      rows.map((r) => [r.table_id, r.form === 'attachments' ? 'attachments' : 'server']),
    );
  }

  /** The `extra` of the first request: a known advanced table's, in its form, when the file has one. */
  first(row: ExtraRow): string | null {
    // Nothing learnt yet, or not a bitable attachment: the row's own (the server's form, if it came).
    if (this.#needed.size === 0 || row.extra === null) return row.extra;
    const known = parseExtra(row.extra);
    if (known && this.#needed.get(known.tableId) === known.form) return row.extra;
    return this.candidates(row)[0] ?? row.extra;
  }

  /**
   * Every `extra` worth sending for a media row, best first: a known advanced table's in the form it
   * took, then (the row's own first) each reference's server form, then each documented form.
   */
  candidates(row: ExtraRow): string[] {
    const found: { extra: string; rank: number }[] = [];
    const seen = new Set<string>();
    const add = (extra: string | undefined): void => {
      if (extra === undefined || seen.has(extra)) return;
      seen.add(extra);
      const parsed = parseExtra(extra);
      const learnt = parsed ? this.#needed.get(parsed.tableId) : undefined;
      const preferred = learnt ?? 'server';
      const rank = (learnt ? 0 : 4) + (parsed?.form === preferred ? 0 : 2) + (extra === row.extra ? 0 : 1);
      found.push({ extra, rank });
    };
    const refs = this.#refs.all(row.id);
    for (const r of refs) add(r.extra ?? undefined);
    for (const r of refs) add(documentedFor(r, row.file_token));
    // Stable: equal ranks keep the references' order.
    return found.sort((a, b) => a.rank - b.rank).map((f) => f.extra);
  }

  /** Records that `extra` succeeded where another one had been refused. */
  needed(extra: string | null): void {
    const parsed = extra === null ? undefined : parseExtra(extra);
    if (parsed === undefined || this.#needed.get(parsed.tableId) === parsed.form) return;
    this.#needed.set(parsed.tableId, parsed.form);
    this.#remember.run(parsed.tableId, new Date().toISOString(), parsed.form);
  }
}

/** The documented `extra` for a bitable attachment reference: `<recordId>/<fieldId>` in `app_table`. */
function documentedFor(ref: RefRow, fileToken: string): string | undefined {
  if (ref.kind !== 'bitable_attachment' || ref.doc_type !== 'bitable_table') return undefined;
  const at = ref.doc_token.lastIndexOf('_');
  const slash = ref.location.indexOf('/');
  if (at <= 0 || slash <= 0) return undefined;
  return documentedExtra({
    tableId: ref.doc_token.slice(at + 1),
    recordId: ref.location.slice(0, slash),
    fieldId: ref.location.slice(slash + 1),
    fileToken,
  });
}
