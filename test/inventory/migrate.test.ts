import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
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
});
