import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** @default 5000 */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/** The inventory file exists but SQLite cannot use it (not a database, corrupt, unreadable). */
export class InventoryUnreadableError extends Error {
  override readonly name = 'InventoryUnreadableError';
  readonly code = 'INVENTORY_UNREADABLE';
  constructor(file: string, cause: unknown) {
    const why = (cause as Error).message ?? String(cause);
    const sqlite = (cause as { code?: unknown }).code;
    super(
      `Cannot use the inventory ${file}: ${why}${typeof sqlite === 'string' ? ` (${sqlite})` : ''}. ` +
        'Restore it from a copy, or point --database at another file (a new file starts a fresh inventory, and the next backup checks every file again).',
      { cause },
    );
  }
}

/** SQLite answers that mean the file itself is unusable, not that a statement was wrong. */
const UNREADABLE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CANTOPEN', 'SQLITE_IOERR_SHORT_READ']);

/**
 * Pages of the inventory SQLite keeps in memory per connection: 2 MiB (SQLite's own default;
 * better-sqlite3 builds it with 16 MiB). The cache fills as the inventory grows, so it was memory that
 * grew with the tenant: the crawl's native memory rose 21 MiB from 2,700 to 26,000 documents with
 * 16 MiB and stayed flat with 2 MiB (BENCHMARKS.md, Scale); pages it drops stay in the operating
 * system's file cache.
 */
export const PAGE_CACHE_KIB = 2000;

/** Opens (creating if needed) the inventory in WAL mode with a busy timeout, and migrates it. */
export function openInventory(file: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
  } catch (e) {
    throw UNREADABLE.has((e as { code?: string }).code ?? '') ? new InventoryUnreadableError(file, e) : e;
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // Negative: a size in KiB, not a number of pages.
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    }
    return db;
  } catch (e) {
    db.close();
    throw UNREADABLE.has((e as { code?: string }).code ?? '') ? new InventoryUnreadableError(file, e) : e;
  }
}
