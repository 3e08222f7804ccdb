import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GONE_FROM_FEISHU, MediaQueue, queueQuery } from '../../src/inventory/media-queue.js';
import type { MediaSource } from '../../src/inventory/media-refs.js';
import { MediaStates } from '../../src/inventory/media-states.js';
import { migrate } from '../../src/inventory/migrate.js';
import { type Db, openInventory } from '../../src/inventory/open.js';

function inventory(): Db {
  const db = openInventory(join(mkdtempSync(join(tmpdir(), 'fb-queue-')), 'inventory.db'));
  db.exec(`
    INSERT INTO documents (id, type, token) VALUES (1, 'docx', 'doxLive'), (2, 'docx', 'doxGone');
    INSERT INTO media (id, file_token, status) VALUES
      (1, 'boxLive', 'pending'), (2, 'boxGone', 'pending'), (3, 'boxBoth', 'error'), (4, 'boxNoRef', 'pending');
    INSERT INTO media_refs (media_id, document_id, location, kind, gone_at) VALUES
      (1, 1, 'b1', 'image', NULL), (2, 2, 'b2', 'image', '2026-01-01T00:00:00Z'),
      (3, 2, 'b3', 'image', '2026-01-01T00:00:00Z'), (3, 1, 'b3', 'image', NULL);`);
  return db;
}

function queryPlan(db: Db, sql: string, ...params: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
    (r) => r.detail,
  );
}

interface Media {
  id: number;
  token: string;
  status: string;
  attempts: number;
  size: number | null;
  source?: MediaSource;
  /** References: none, one live, one gone, or a gone and a live one. @default 'live' */
  refs?: 'none' | 'live' | 'gone' | 'both';
}

/** A fresh in-memory inventory (every migration) holding `media`. */
function inventoryOf(media: readonly Media[]): Db {
  const db = new Database(':memory:');
  migrate(db);
  db.exec(`INSERT INTO documents (id, type, token) VALUES (1, 'docx', 'doxLive'), (2, 'docx', 'doxGone')`);
  const add = db.prepare(
    'INSERT INTO media (id, file_token, status, attempts, size, source) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const ref = db.prepare(
    `INSERT INTO media_refs (media_id, document_id, location, kind, gone_at) VALUES (?, ?, ?, 'image', ?)`,
  );
  for (const m of media) {
    add.run(m.id, m.token, m.status, m.attempts, m.size, m.source ?? 'media');
    const refs = m.refs ?? 'live';
    if (refs === 'live' || refs === 'both') ref.run(m.id, 1, `b${m.id}`, null);
    if (refs === 'gone' || refs === 'both') ref.run(m.id, 2, `b${m.id}`, '2026-01-01T00:00:00Z');
  }
  return db;
}

/** Everything the queue hands out, in order. */
function drain(queue: MediaQueue): string[] {
  const tokens: string[] = [];
  for (let row = queue.next(); row; row = queue.next()) tokens.push(row.file_token);
  return tokens;
}

/**
 * The documented order, as the queue read it before migration 0009: a sort of every row to download.
 * The reference the queue must agree with.
 */
function sorted(db: Db, options: { retryFailed?: boolean; skipSources?: MediaSource[] } = {}): string[] {
  const statuses = options.retryFailed
    ? `'pending', 'partial', 'error', 'failed'`
    : `'pending', 'partial', 'error'`;
  return db
    .prepare<[string], string>(
      `SELECT file_token FROM media WHERE status IN (${statuses})
         AND source NOT IN (SELECT value FROM json_each(?)) AND NOT ${GONE_FROM_FEISHU}
       ORDER BY CASE status WHEN 'partial' THEN 0 ELSE 1 END, CASE WHEN attempts = 0 THEN 0 ELSE 1 END,
         size IS NULL, size, id`,
    )
    .pluck()
    .all(JSON.stringify(options.skipSources ?? []));
}

/**
 * Every tiebreak of the order, each class of it, ties on size across a batch boundary, ids that do not
 * follow the insertion order, and rows the queue never takes (done; failed without retryFailed).
 */
const ORDERED: readonly Media[] = [
  { id: 10, token: 'partialNew5', status: 'partial', attempts: 0, size: 5 },
  { id: 11, token: 'partialNew2', status: 'partial', attempts: 0, size: 2 },
  { id: 12, token: 'partialNewUnknown', status: 'partial', attempts: 0, size: null },
  { id: 13, token: 'partialTried1', status: 'partial', attempts: 1, size: 1 },
  { id: 14, token: 'partialTriedUnknown', status: 'partial', attempts: 3, size: null },
  { id: 20, token: 'new3b', status: 'pending', attempts: 0, size: 3 },
  { id: 5, token: 'new3a', status: 'pending', attempts: 0, size: 3 },
  { id: 21, token: 'new0', status: 'pending', attempts: 0, size: 0 },
  { id: 22, token: 'newUnknownB', status: 'pending', attempts: 0, size: null },
  { id: 3, token: 'newUnknownA', status: 'pending', attempts: 0, size: null },
  { id: 34, token: 'errorNew9', status: 'error', attempts: 0, size: 9 },
  { id: 35, token: 'failedNewUnknown', status: 'failed', attempts: 0, size: null },
  { id: 30, token: 'error1', status: 'error', attempts: 2, size: 1 },
  { id: 31, token: 'tried1', status: 'pending', attempts: 1, size: 1 },
  { id: 32, token: 'failed0', status: 'failed', attempts: 1, size: 0 },
  { id: 1, token: 'errorUnknown', status: 'error', attempts: 1, size: null },
  { id: 33, token: 'done0', status: 'done', attempts: 1, size: 0 },
];

const IN_ORDER = [
  // partial, never tried: known sizes, smallest first, then unknown
  'partialNew2',
  'partialNew5',
  'partialNewUnknown',
  // partial, tried before
  'partialTried1',
  'partialTriedUnknown',
  // never tried: size, then id on a tie; unknown sizes last, by id
  'new0',
  'new3a',
  'new3b',
  'errorNew9',
  'newUnknownA',
  'newUnknownB',
  // tried before
  'error1',
  'tried1',
  'errorUnknown',
];

describe('the download queue', () => {
  it('leaves out files whose every reference is gone, but not one shared with a live document or never referenced', () => {
    const db = inventory();
    const queue = new MediaQueue(db);
    const tokens: string[] = [];
    for (let row = queue.next(); row; row = queue.next()) tokens.push(row.file_token);
    expect(tokens.sort()).toEqual(['boxBoth', 'boxLive', 'boxNoRef']);
    db.close();
  });

  it('hands out partial first, never tried before tried, known sizes smallest first, unknown last, then by id, whatever the batch size', () => {
    const db = inventoryOf(ORDERED);
    expect(sorted(db)).toEqual(IN_ORDER);
    for (const batchSize of [1, 2, 3, 4, 64])
      expect(drain(new MediaQueue(db, { batchSize }))).toEqual(IN_ORDER);
    const withFailed = [...IN_ORDER];
    withFailed.splice(withFailed.indexOf('newUnknownB') + 1, 0, 'failedNewUnknown');
    withFailed.splice(withFailed.indexOf('error1'), 0, 'failed0');
    expect(sorted(db, { retryFailed: true })).toEqual(withFailed);
    for (const batchSize of [1, 3, 64]) {
      expect(drain(new MediaQueue(db, { batchSize, retryFailed: true }))).toEqual(withFailed);
    }
    db.close();
  });

  it('leaves out the sources it is told to skip, and files gone from Feishu, wherever they sit in the order', () => {
    const db = inventoryOf([
      { id: 1, token: 'board1', status: 'pending', attempts: 0, size: 1, source: 'board' },
      { id: 2, token: 'drive1', status: 'pending', attempts: 0, size: 1, source: 'drive_file' },
      { id: 3, token: 'media1', status: 'pending', attempts: 0, size: 1 },
      { id: 4, token: 'gone0', status: 'partial', attempts: 0, size: 0, refs: 'gone' },
      { id: 5, token: 'shared0', status: 'error', attempts: 1, size: 0, refs: 'both' },
      { id: 6, token: 'noRef', status: 'pending', attempts: 0, size: null, refs: 'none' },
      { id: 7, token: 'boardPartial', status: 'partial', attempts: 0, size: 2, source: 'board' },
    ]);
    const all = ['boardPartial', 'board1', 'drive1', 'media1', 'noRef', 'shared0'];
    expect(sorted(db)).toEqual(all);
    for (const batchSize of [1, 2, 64]) {
      expect(drain(new MediaQueue(db, { batchSize }))).toEqual(all);
      expect(drain(new MediaQueue(db, { batchSize, skipSources: ['board'] }))).toEqual(
        all.filter((t) => !t.startsWith('board')),
      );
      expect(drain(new MediaQueue(db, { batchSize, skipSources: ['board', 'drive_file'] }))).toEqual([
        'media1',
        'noRef',
        'shared0',
      ]);
    }
    db.close();
  });

  it('hands out each row once per run, however its state moves it in the order; the next run takes what is left', () => {
    const db = inventoryOf(ORDERED);
    const states = new MediaStates(db);
    const error = { kind: 'network', code: 'ECONNRESET', message: 'reset' };
    const queue = new MediaQueue(db, { batchSize: 2 });
    const taken: string[] = [];
    for (let row = queue.next(); row; row = queue.next()) {
      taken.push(row.file_token);
      states.beginAttempt(row.id, new Date());
      // Moves it to the tried classes, still to download: after the queue's place in the order.
      if (row.file_token === 'new0' || row.file_token === 'new3b') states.error(row.id, error);
      // Before the queue's place: partial (bytes on disk), and back to pending (none).
      else if (row.file_token === 'newUnknownA') states.park(row.id, 100);
      else if (row.file_token === 'partialNew5') states.park(row.id, 0);
      else if (row.file_token === 'errorNew9') states.failed(row.id, error);
      else states.done(row.id, { path: row.file_token, sha256: '0', bytes: 1, at: new Date() });
    }
    expect(taken).toEqual(IN_ORDER);
    expect(queue.hasMore()).toBe(false);
    // A new run (a new queue) tries the unfinished ones again, in the order they are in now.
    const next = ['newUnknownA', 'new0', 'new3b', 'partialNew5'];
    expect(sorted(db)).toEqual(next);
    expect(drain(new MediaQueue(db, { batchSize: 1 }))).toEqual(next);
    db.close();
  });

  it('agrees with a sort of the whole backlog on random inventories, batch sizes and outcomes', () => {
    const outcome = fc.constantFrom('tried', 'error', 'failed', 'done', 'partial', 'pending');
    const media = fc.uniqueArray(
      fc.record({
        id: fc.integer({ min: 1, max: 500 }),
        status: fc.constantFrom('pending', 'partial', 'error', 'failed', 'done'),
        attempts: fc.constantFrom(0, 0, 1, 2),
        size: fc.constantFrom(null, 0, 1, 2, 1_000_000, 2 ** 40),
        source: fc.constantFrom<MediaSource>('media', 'drive_file', 'board'),
        refs: fc.constantFrom('live', 'live', 'none', 'gone', 'both') as fc.Arbitrary<Media['refs']>,
        outcome,
      }),
      { selector: (m) => m.id, maxLength: 60 },
    );
    fc.assert(
      fc.property(
        media,
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        fc.subarray<MediaSource>(['media', 'drive_file', 'board']),
        (rows, batchSize, retryFailed, skipSources) => {
          const db = inventoryOf(rows.map((m) => ({ ...m, token: `box${m.id}` })));
          const expected = sorted(db, { retryFailed, skipSources });
          const states = new MediaStates(db);
          const error = { kind: 'network', code: 'E', message: 'e' };
          const outcomes = new Map(rows.map((m) => [m.id, m.outcome]));
          const queue = new MediaQueue(db, { batchSize, retryFailed, skipSources });
          const taken: string[] = [];
          for (let row = queue.next(); row; row = queue.next()) {
            taken.push(row.file_token);
            states.beginAttempt(row.id, new Date());
            const o = outcomes.get(row.id);
            if (o === 'error') states.error(row.id, error);
            else if (o === 'failed') states.failed(row.id, error);
            else if (o === 'partial') states.park(row.id, 10);
            else if (o === 'pending') states.park(row.id, 0);
            else if (o === 'done') states.done(row.id, { path: 'x', sha256: '0', bytes: 1, at: new Date() });
          }
          db.close();
          expect(taken).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reads each class of a lane's order by seeking into media_lane_order: no sort of the backlog, no table scan", () => {
    const db = inventory();
    new MediaQueue(db);
    for (const retryFailed of [false, true]) {
      for (const unsized of [false, true]) {
        const params = { partial: 1, tried: 0, size: 0, id: 0, skip: '[]', limit: 64, source: 'board' };
        const plan = queryPlan(db, queueQuery(retryFailed, unsized, true), params);
        const after = unsized ? 'size=? AND rowid>?' : 'size>?';
        expect(plan).toContain(
          `SEARCH media USING INDEX media_lane_order (source=? AND <expr>=? AND <expr>=? AND <expr>=? AND ${after})`,
        );
        expect(plan.filter((d) => d.includes('TEMP B-TREE'))).toEqual([]);
        expect(plan.filter((d) => /^SCAN (media|r)\b/.test(d))).toEqual([]);
        const refs = plan.filter((d) => /^SEARCH r /.test(d));
        expect(refs).toHaveLength(2);
        for (const d of refs) expect(d).toMatch(/^SEARCH r USING COVERING INDEX media_refs_live \(media_id=/);
      }
    }
    // The same probes where status, the plan and --dry-run count what is left out.
    const counted = queryPlan(
      db,
      `SELECT COUNT(*) FROM media WHERE status <> 'done' AND ${GONE_FROM_FEISHU}`,
    );
    const countedRefs = counted.filter((d) => /^SEARCH r /.test(d));
    expect(countedRefs).toHaveLength(2);
    for (const d of countedRefs) expect(d).toContain('COVERING INDEX media_refs_live');
    db.close();
  });
});
