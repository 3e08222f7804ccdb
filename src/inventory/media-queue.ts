import type { MediaSource } from './media-refs.js';
import type { Db } from './open.js';

/** A media row as the downloader needs it. */
export interface MediaRow {
  id: number;
  file_token: string;
  name: string | null;
  size: number | null;
  mime_type: string | null;
  extra: string | null;
  status: MediaStatus;
  attempts: number;
  bytes_on_disk: number | null;
  /** Which endpoint downloads it (migration 0002). */
  source: MediaSource;
  /** The copy already stored, if any (relative to outputDir): a new version of a drive file replaces it. */
  path: string | null;
  sha256: string | null;
  /** Drive files: the version the listing gave, and the one the stored copy is of (migration 0011). */
  remote_version: string | null;
  downloaded_version: string | null;
  downloaded_at: string | null;
}

export type MediaStatus = 'pending' | 'partial' | 'done' | 'failed' | 'error';

export interface QueueOptions {
  /** Also take `failed` rows (permission, not found, bad request), e.g. for `--retry-failed`. */
  retryFailed?: boolean;
  /** Rows read from the database at a time. @default 64 */
  batchSize?: number;
  /** Sources not downloaded in this run (archive options): their rows stay as they are. */
  skipSources?: readonly MediaSource[];
  /**
   * Only the rows of this endpoint: one queue per download lane (src/download/lane-scheduler.ts), each
   * a seek into media_lane_order (migration 0017), whose first key is the source.
   */
  source?: MediaSource;
  /** Another queue of this run exists already (another lane's): keep the rows it took out of this one. */
  sameRun?: boolean;
}

/**
 * The work order, cheapest progress first:
 * 1. `partial` rows: bytes already fetched (and counted against the quota) are not left to rot;
 * 2. rows never tried before the ones that failed in earlier runs (a broken file does not starve new ones);
 * 3. smallest known size first, unknown sizes last: most files per request when the daily cap is short;
 * 4. then inventory order (id), so the order is stable from run to run.
 * That is ORDER BY PARTIAL, TRIED, UNSIZED, size, id: the key of the index media_lane_order after the
 * source (migration 0017, which replaced 0009's media_queue_order; the rowid is an index's last key). The first three keys are 0 or 1, so the order is eight classes
 * one after the other, each in (size, id) order (id alone where the size is unknown): the queue reads
 * one class at a time, in index order, where SQLite would otherwise sort the whole backlog per batch.
 */
const PARTIAL = `CASE status WHEN 'partial' THEN 0 ELSE 1 END`;
const TRIED = `CASE WHEN attempts = 0 THEN 0 ELSE 1 END`;
const UNSIZED = '(size IS NULL)';

/** The eight values of (PARTIAL, TRIED, UNSIZED), in order. */
const CLASSES: readonly (readonly [0 | 1, 0 | 1, 0 | 1])[] = [0, 1].flatMap((partial) =>
  [0, 1].flatMap((tried) => [0, 1].map((unsized) => [partial, tried, unsized] as [0 | 1, 0 | 1, 0 | 1])),
);

/** Before every key of a class: no size or id is lower than -Infinity (text and blobs sort above numbers). */
const START = { size: Number.NEGATIVE_INFINITY, id: Number.NEGATIVE_INFINITY };

const COLUMNS = `id, file_token, name, size, mime_type, extra, status, attempts, bytes_on_disk, source,
  path, sha256, remote_version, downloaded_version, downloaded_at`;

/**
 * The WHERE clause of the partial index media_lane_order, word for word: SQLite uses a partial index
 * only for a query that has its WHERE terms.
 */
const QUEUED = `status IN ('pending', 'partial', 'error', 'failed')`;

function statusesFor(retryFailed: boolean): string {
  return retryFailed ? QUEUED : `${QUEUED} AND status <> 'failed'`;
}

/**
 * SQL, true for a media row that documents showed once and none shows now: every reference is gone
 * (its documents deleted from Feishu, or the file taken out of them). A download leaves such a row as
 * it is, neither fetched nor counted as work left or as a failure, as rclone sync does not fetch what
 * left the source; a row already `done` keeps its file. A crawl that finds a reference again makes it
 * live, and the next download takes it as before. A `.part` it left stays: it is harmless, and a
 * restored document resumes from it instead of spending the quota on those bytes again.
 *
 * A row with no reference at all is not gone: nothing says it left (the crawl records a file with its
 * first reference; only an inventory filled by hand, as the download bench does, has none).
 * Both probes are covering lookups in media_refs_live (migration 0007); the live one comes first, so
 * a live row costs one. Refers to `media.id`: use it in a query over `media` without an alias.
 */
export const GONE_FROM_FEISHU = `(NOT EXISTS (SELECT 1 FROM media_refs r WHERE r.media_id = media.id AND r.gone_at IS NULL)
  AND EXISTS (SELECT 1 FROM media_refs r WHERE r.media_id = media.id))`;

/** Where a class is read from: after the last row of its previous batch, in (size, id) order. */
interface After {
  size: number;
  id: number;
}

/**
 * The queue's read: the next rows of one class of the order (`@partial`, `@tried`: 0 or 1) after
 * `@size, @id`, not yet taken by this run. With `bySource` (a lane's queue: `source = @source`), a seek
 * into media_lane_order and a walk along it that stops after `@limit` rows, whatever the backlog
 * (exported for its query plan test). The unknown-size classes (`unsized`) are in id order: their key
 * has no size to compare.
 */
export function queueQuery(retryFailed: boolean, unsized: boolean, bySource = false): string {
  const after = unsized
    ? `${UNSIZED} = 1 AND size IS NULL AND id > @id`
    : `${UNSIZED} = 0 AND (size, id) > (@size, @id)`;
  return `SELECT ${COLUMNS} FROM media WHERE ${statusesFor(retryFailed)}${bySource ? ' AND source = @source' : ''}
       AND ${PARTIAL} = @partial AND ${TRIED} = @tried AND ${after}
       AND source NOT IN (SELECT value FROM json_each(@skip))
       AND id NOT IN (SELECT id FROM temp.download_claimed) AND NOT ${GONE_FROM_FEISHU}
       ORDER BY ${unsized ? 'id' : 'size, id'} LIMIT @limit`;
}

/** The parameters of both reads (the unknown-size one has no `@size`: better-sqlite3 ignores it). */
interface QueueParams {
  partial: 0 | 1;
  tried: 0 | 1;
  size: number;
  id: number;
  skip: string;
  limit: number;
  source?: MediaSource;
}

/**
 * Hands out the media rows still to download, in the documented order, each at most once per run
 * (rows tried this run are remembered in a connection-local temp table, so a file that ends in
 * `error` is not picked again by the same run), leaving out those gone from Feishu. Reads in small
 * batches: memory does not grow with the inventory.
 *
 * Each batch starts where the previous one stopped (the class and the last row's size and id) instead
 * of at the top of the order, so the rows already taken and those left out (another source, gone,
 * `failed`) are not read again and again: a batch costs the same with a thousand files left or a
 * million. It hands out exactly what reading from the top would: a row not yet taken cannot move behind
 * the cursor, since the run holds the inventory lock and changes only the rows it took. Those do move (a
 * file becomes `partial`, or is tried once more and goes to the tried classes): the temp table keeps
 * them out wherever they go, and one moved ahead of the cursor is passed over once, when the read
 * gets there.
 */
export class MediaQueue {
  readonly #db: Db;
  readonly #sized;
  readonly #unsized;
  readonly #claim;
  readonly #batchSize: number;
  readonly #skip: string;
  readonly #source: MediaSource | undefined;
  #buffer: MediaRow[] = [];
  /** The class being read (an index into CLASSES; CLASSES.length when every class is read). */
  #class = 0;
  #after: After = START;

  constructor(db: Db, options: QueueOptions = {}) {
    this.#db = db;
    this.#batchSize = options.batchSize ?? 64;
    this.#skip = JSON.stringify(options.skipSources ?? []);
    this.#source = options.source;
    db.exec('CREATE TEMP TABLE IF NOT EXISTS download_claimed (id INTEGER PRIMARY KEY)');
    // A run's lanes share the table: the first queue of a run empties it, the others pass `sameRun`.
    if (!options.sameRun) db.exec('DELETE FROM temp.download_claimed');
    const retryFailed = options.retryFailed ?? false;
    const bySource = options.source !== undefined;
    this.#sized = db.prepare<[QueueParams], MediaRow>(queueQuery(retryFailed, false, bySource));
    this.#unsized = db.prepare<[QueueParams], MediaRow>(queueQuery(retryFailed, true, bySource));
    this.#claim = db.prepare<[number]>('INSERT OR IGNORE INTO temp.download_claimed (id) VALUES (?)');
  }

  /** The next row to download, or undefined when none is left for this run. */
  next(): MediaRow | undefined {
    this.#fill();
    return this.#buffer.shift();
  }

  /** Up to `n` of the rows `next` returns next (those of the current read), without taking them. */
  peek(n: number): readonly MediaRow[] {
    this.#fill();
    return this.#buffer.slice(0, n);
  }

  /** Whether `next` would return a row, without taking it. */
  hasMore(): boolean {
    this.#fill();
    return this.#buffer.length > 0;
  }

  #fill(): void {
    while (this.#buffer.length === 0 && this.#class < CLASSES.length) {
      const [partial, tried, unsized] = CLASSES[this.#class]!;
      const rows = (unsized ? this.#unsized : this.#sized).all({
        partial,
        tried,
        ...this.#after,
        skip: this.#skip,
        limit: this.#batchSize,
        ...(this.#source !== undefined ? { source: this.#source } : {}),
      });
      const last = rows.at(-1);
      if (rows.length < this.#batchSize || !last) {
        this.#class++;
        this.#after = START;
      } else {
        this.#after = { size: last.size ?? Number.NEGATIVE_INFINITY, id: last.id };
      }
      this.#db.transaction(() => {
        for (const r of rows) this.#claim.run(r.id);
      })();
      this.#buffer = rows;
    }
  }
}
