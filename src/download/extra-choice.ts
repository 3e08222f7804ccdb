import type { Db } from '../inventory/open.js';

/**
 * Which `extra` to send for a media file. Every bitable table hands out its own `extra`
 * (`{"bitablePerm":{"tableId":…}}`) with each attachment, but only an advanced-permission table's is
 * checked: a file that sits in such a table downloads only with that table's `extra` (another
 * table's: 403), while any other file ignores it. A file referenced by several tables keeps, on its
 * row, the `extra` seen last, so the first request may name the wrong table; the others are then
 * tried in turn (`candidates`).
 *
 * Nothing the crawl reads says which tables are advanced, but a run learns it: a table whose `extra`
 * succeeded after another table's was refused is one. Its `extra` is then sent first for every file
 * it references, instead of one refused call per shared file. What is learnt is kept in the
 * inventory (`advanced_tables`, migration 0010), so an inventory pays about one such call per
 * advanced table once, not once per run (more only for files already in flight when it learns).
 */
export class ExtraChoice {
  readonly #refs;
  readonly #remember;
  /** Tables whose `extra` a download needed, this run or an earlier one. */
  readonly #needed: Set<string>;

  constructor(db: Db) {
    this.#refs = db.prepare<[number], { extra: string }>(
      `SELECT DISTINCT extra FROM media_refs
       WHERE media_id = ? AND gone_at IS NULL AND extra IS NOT NULL ORDER BY id`,
    );
    this.#remember = db.prepare<[string, string]>(
      'INSERT OR IGNORE INTO advanced_tables (table_id, learned_at) VALUES (?, ?)',
    );
    this.#needed = new Set(db.prepare<[], string>('SELECT table_id FROM advanced_tables').pluck().all());
  }

  /** The `extra` of the first request: a known advanced table's when the file has one, else the row's. */
  first(row: { id: number; extra: string | null }): string | null {
    if (this.#needed.size === 0 || row.extra === null || this.#isNeeded(row.extra)) return row.extra;
    return this.candidates(row.id).find((e) => this.#isNeeded(e)) ?? row.extra;
  }

  /** The distinct `extra` values of a media row's live references (the row's own one included). */
  candidates(mediaId: number): string[] {
    return this.#refs.all(mediaId).map((r) => r.extra);
  }

  /** Records that `extra` succeeded where another one had been refused. */
  needed(extra: string | null): void {
    const table = extra === null ? undefined : tableOf(extra);
    if (table === undefined || this.#needed.has(table)) return;
    this.#needed.add(table);
    this.#remember.run(table, new Date().toISOString());
  }

  #isNeeded(extra: string): boolean {
    const table = tableOf(extra);
    return table !== undefined && this.#needed.has(table);
  }
}

/** The table an `extra` names (both the server's `{tableId, rev}` form and the `attachments` form). */
function tableOf(extra: string): string | undefined {
  try {
    const tableId = (JSON.parse(extra) as { bitablePerm?: { tableId?: unknown } } | null)?.bitablePerm
      ?.tableId;
    return typeof tableId === 'string' ? tableId : undefined;
  } catch {
    return undefined;
  }
}
