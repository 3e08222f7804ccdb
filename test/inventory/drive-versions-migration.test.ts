import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MediaQueue } from '../../src/inventory/media-queue.js';
import { MediaRefRepo } from '../../src/inventory/media-refs.js';
import { loadMigrations, migrate } from '../../src/inventory/migrate.js';

/** An inventory as feishu-backup left it before drive-file versions (schema 10), with a backed-up drive file. */
function inventoryAtSchema10(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, loadMigrations().slice(0, 10));
  db.exec(`
    INSERT INTO runs (id, command, started_at) VALUES (1, 'backup', '2026-03-01T00:00:00Z');
    INSERT INTO documents (id, type, token, title, status) VALUES (1, 'folder', 'fldA', 'Team', 'done');
    INSERT INTO media (id, file_token, name, status, path, sha256, bytes_on_disk, attempts, downloaded_at, source)
      VALUES (1, 'boxcnFileA', 'a.pdf', 'done', 'media/bo/boxcnFileA/a.pdf', 'aaaa', 10, 1,
              '2026-03-01T00:00:00.000Z', 'drive_file'),
             (2, 'boxcnFileB', 'b.pdf', 'done', 'media/bo/boxcnFileB/b.pdf', 'bbbb', 10, 1,
              '2026-03-01T00:00:00.000Z', 'drive_file'),
             (3, 'boxcnImage', 'c.png', 'done', 'media/bo/boxcnImage/c.png', 'cccc', 10, 1,
              '2026-03-01T00:00:00.000Z', 'media');
    INSERT INTO media_refs (media_id, document_id, location, kind)
      VALUES (1, 1, 'fldA', 'drive_file'), (2, 1, 'fldA', 'drive_file'), (3, 1, 'fldA', 'image');`);
  return db;
}

const seconds = (iso: string): string => String(Date.parse(iso) / 1000);

describe('migration 0011 (drive-file versions)', () => {
  it('adds the version columns to an existing inventory, empty, keeping every row as it was', () => {
    const db = inventoryAtSchema10();
    const before = db.prepare('SELECT * FROM media ORDER BY id').all();
    migrate(db, loadMigrations().slice(0, 11));
    expect(db.pragma('user_version', { simple: true })).toBe(11);
    const after = db.prepare('SELECT * FROM media ORDER BY id').all() as Record<string, unknown>[];
    expect(after.map(({ remote_version, downloaded_version, ...rest }) => rest)).toEqual(before);
    expect(after.map((r) => [r.remote_version, r.downloaded_version])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    // Nothing is queued by the upgrade itself.
    expect(new MediaQueue(db).next()).toBeUndefined();
  });

  it('then queues a drive file again only when the listing says it changed after it was downloaded', () => {
    const db = inventoryAtSchema10();
    migrate(db);
    const refs = new MediaRefRepo(db);
    const listed = (token: string, version: string, source: 'drive_file' | 'media' = 'drive_file') => ({
      fileToken: token,
      location: 'fldA',
      kind: source === 'media' ? 'image' : 'drive_file',
      source,
      version,
    });
    const result = refs.record(
      1,
      [
        listed('boxcnFileA', seconds('2026-02-01T00:00:00Z')),
        listed('boxcnFileB', seconds('2026-03-02T00:00:00Z')),
        // A version on a media token is ignored: media inside documents never change.
        listed('boxcnImage', seconds('2026-03-02T00:00:00Z'), 'media'),
      ],
      1,
    );
    expect(result.newVersions).toBe(1);
    const rows = db
      .prepare(
        'SELECT file_token, status, attempts, remote_version, downloaded_version, sha256 FROM media ORDER BY id',
      )
      .all();
    expect(rows).toEqual([
      {
        file_token: 'boxcnFileA',
        status: 'done',
        attempts: 1,
        remote_version: seconds('2026-02-01T00:00:00Z'),
        downloaded_version: null,
        sha256: 'aaaa',
      },
      // Its path and sha256 stay: the download that replaces the copy keeps it under versions/.
      {
        file_token: 'boxcnFileB',
        status: 'pending',
        attempts: 0,
        remote_version: seconds('2026-03-02T00:00:00Z'),
        downloaded_version: null,
        sha256: 'bbbb',
      },
      {
        file_token: 'boxcnImage',
        status: 'done',
        attempts: 1,
        remote_version: null,
        downloaded_version: null,
        sha256: 'cccc',
      },
    ]);
  });

  it('compares versions as times: an earlier listing (another place showing the same file) neither queues nor lowers it', () => {
    const db = inventoryAtSchema10();
    migrate(db);
    db.exec("UPDATE media SET downloaded_version = '1772323200', remote_version = '1772323200' WHERE id = 1");
    const refs = new MediaRefRepo(db);
    const seen = (version: string) =>
      refs.record(
        1,
        [{ fileToken: 'boxcnFileA', location: 'wiki:1', kind: 'drive_file', source: 'drive_file', version }],
        1,
      );
    expect(seen('1772323199').newVersions).toBe(0);
    expect(seen('1772323200').newVersions).toBe(0);
    expect(db.prepare('SELECT status, remote_version FROM media WHERE id = 1').get()).toEqual({
      status: 'done',
      remote_version: '1772323200',
    });
    expect(seen('1772323201').newVersions).toBe(1);
    expect(db.prepare('SELECT status, remote_version FROM media WHERE id = 1').get()).toEqual({
      status: 'pending',
      remote_version: '1772323201',
    });
  });
});
