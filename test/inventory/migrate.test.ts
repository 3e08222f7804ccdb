import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MediaQueue } from '../../src/inventory/media-queue.js';
import { loadMigrations, migrate, SchemaTooNewError } from '../../src/inventory/migrate.js';
import { openInventory } from '../../src/inventory/open.js';

const tempDb = (): string => join(mkdtempSync(join(tmpdir(), 'fb-inv-')), 'inventory.db');

describe('inventory migrations', () => {
  it('creates the schema in WAL mode with a busy timeout, and is a no-op the second time', () => {
    const file = tempDb();
    const db = openInventory(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const version = db.pragma('user_version', { simple: true });
    expect(version).toBe(loadMigrations().length);
    db.close();
    const again = openInventory(file);
    expect(migrate(again)).toEqual({ from: version, to: version });
    again.close();
  });

  it('refuses an inventory written by a newer schema, with the fix in the message', () => {
    const file = tempDb();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openInventory(file)).toThrow(SchemaTooNewError);
    expect(() => openInventory(file)).toThrow(/Upgrade feishu-backup/);
  });

  it("carries an older inventory's finders over as document links, and each root's document (0006)", () => {
    const db = new Database(':memory:');
    const migrations = loadMigrations();
    migrate(db, migrations.slice(0, 5));
    db.exec(`
      INSERT INTO runs (id, command, started_at) VALUES (1, 'crawl', '2026-01-01T00:00:00Z');
      INSERT INTO roots (id, spec, kind, token) VALUES (1, '{"type":"folder","token":"fldA"}', 'folder', 'fldA');
      INSERT INTO documents (id, type, token, root_id, parent_id, first_seen_run, last_seen_run)
        VALUES (1, 'folder', 'fldA', 1, NULL, 1, 1), (2, 'docx', 'doxB', 1, 1, 1, 1), (3, 'sheet', 'shtC', 1, 2, 1, 1);`);
    migrate(db, migrations);
    const links = db.prepare(
      'SELECT parent_id, child_id, first_seen_run, last_seen_run, gone_run FROM document_links ORDER BY child_id',
    );
    expect(links.all()).toEqual([
      { parent_id: 1, child_id: 2, first_seen_run: 1, last_seen_run: 1, gone_run: null },
      { parent_id: 2, child_id: 3, first_seen_run: 1, last_seen_run: 1, gone_run: null },
    ]);
    expect(db.prepare('SELECT document_id FROM roots').get()).toEqual({ document_id: 1 });
    expect(db.prepare('SELECT gone_run FROM documents WHERE id = 2').get()).toEqual({ gone_run: null });
  });

  it('gives sheet cell references their sheet, and forgets what reads scoped to one sheet recorded (0008)', () => {
    const db = new Database(':memory:');
    const migrations = loadMigrations();
    migrate(db, migrations.slice(0, 7));
    db.exec(`
      INSERT INTO runs (id, command, started_at) VALUES (1, 'crawl', '2026-01-01T00:00:00Z');
      INSERT INTO documents (id, type, token, crawled_revision, scope, status)
        VALUES (1, 'sheet', 'shtA', 'rev:3', 'sid2', 'done'), (2, 'sheet', 'shtB', 'rev:4', NULL, 'done'),
               (3, 'docx', 'doxC', 'rev:5', NULL, 'done');
      INSERT INTO media (id, file_token) VALUES (1, 'boxA'), (2, 'boxB'), (3, 'boxC');
      INSERT INTO media_refs (media_id, document_id, location, kind)
        VALUES (1, 1, 'sid1!B3', 'sheet_image'), (2, 1, 'float:fi1', 'float_image'), (3, 3, 'blk!x', 'image');
      INSERT INTO crawl_checkpoints (document_id, phase, run_id, updated_at)
        VALUES (1, 'float:sid2', 1, 'now'), (2, 'values:sid9', 1, 'now');`);
    migrate(db, migrations);
    expect(db.prepare('SELECT location, scope FROM media_refs ORDER BY id').all()).toEqual([
      { location: 'sid1!B3', scope: 'sid1' },
      { location: 'float:fi1', scope: null },
      { location: 'blk!x', scope: null },
    ]);
    expect(db.prepare('SELECT document_id, scope FROM crawl_checkpoints').all()).toEqual([
      { document_id: 2, scope: null },
    ]);
    expect(db.prepare('SELECT crawled_revision FROM documents ORDER BY id').pluck().all()).toEqual([
      null,
      'rev:4',
      'rev:5',
    ]);
  });

  it("indexes an older inventory's download queue in its order, leaving out done rows (0009)", () => {
    const db = new Database(':memory:');
    const migrations = loadMigrations();
    migrate(db, migrations.slice(0, 8));
    db.exec(`
      INSERT INTO media (id, file_token, status, attempts, size) VALUES
        (1, 'boxTried', 'error', 1, 1), (2, 'boxUnknown', 'pending', 0, NULL), (3, 'boxBig', 'pending', 0, 9),
        (4, 'boxSmall', 'pending', 0, 2), (5, 'boxPartial', 'partial', 0, 50), (6, 'boxDone', 'done', 1, 0);`);
    migrate(db, migrations);
    // 0017 replaced 0009's index with one per lane (the source first), over the same rows.
    expect(
      db
        .prepare(
          "SELECT COUNT(*) FROM media INDEXED BY media_lane_order WHERE status IN ('pending', 'partial', 'error', 'failed')",
        )
        .pluck()
        .get(),
    ).toBe(5);
    const queue = new MediaQueue(db);
    const tokens: string[] = [];
    for (let row = queue.next(); row; row = queue.next()) tokens.push(row.file_token);
    expect(tokens).toEqual(['boxPartial', 'boxSmall', 'boxBig', 'boxUnknown', 'boxTried']);
  });

  it('leaves the previous schema intact when a migration fails', () => {
    const db = new Database(':memory:');
    const good = { version: 1, name: '0001_a.sql', sql: 'CREATE TABLE a (x INTEGER);' };
    const bad = {
      version: 2,
      name: '0002_b.sql',
      sql: 'CREATE TABLE b (y INTEGER); INSERT INTO nope VALUES (1);',
    };
    migrate(db, [good]);
    expect(() => migrate(db, [good, bad])).toThrow(/no such table: nope/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(['a']);
  });

  it('keeps the tables an older inventory learnt need their extra, in the form sent then (0013)', () => {
    const db = new Database(':memory:');
    const migrations = loadMigrations();
    migrate(db, migrations.slice(0, 11));
    db.exec("INSERT INTO advanced_tables (table_id, learned_at) VALUES ('tblOld', '2026-01-01T00:00:00Z')");
    migrate(db, migrations);
    // NULL: learnt before the column, when only the server's form was sent (ExtraChoice reads it so).
    expect(db.prepare('SELECT table_id, form FROM advanced_tables').all()).toEqual([
      { table_id: 'tblOld', form: null },
    ]);
    expect(db.prepare('SELECT via FROM document_links').all()).toEqual([]);
  });
});
