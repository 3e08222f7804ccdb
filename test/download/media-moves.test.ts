import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMediaMoves } from '../../src/download/media-moves.js';
import { removeEmptyWorkFolders } from '../../src/download/tidy-work-folders.js';
import { loadMigrations, migrate } from '../../src/inventory/migrate.js';
import { mediaRelativePath, mediaShard } from '../../src/naming/media-path.js';

/** An inventory and output folder as 0.1 left them: every file under media/bo/. */
function oldBackup(): { db: Database.Database; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fb-moves-'));
  const db = new Database(':memory:');
  migrate(db, loadMigrations().slice(0, 15));
  const files = [
    ['boxcnAAAA12', 'a.png'],
    ['boxcnBBBBxY', 'b.pdf'],
    ['boxcnCCCC-_', 'c.txt'], // ends in characters the SQL does not shard: stays where it is
  ];
  files.forEach(([token, name], i) => {
    const rel = `media/bo/${token}/${name}`;
    mkdirSync(join(dir, 'media/bo', token!), { recursive: true });
    writeFileSync(join(dir, rel), `bytes of ${name}`);
    db.prepare(
      "INSERT INTO media (id, file_token, name, status, path, source) VALUES (?, ?, ?, 'done', ?, 'media')",
    ).run(i + 1, token, name, rel);
  });
  const doc = join(dir, 'by-document/docx/Plan (doxcn1)');
  mkdirSync(doc, { recursive: true });
  symlinkSync('../../../media/bo/boxcnAAAA12/a.png', join(doc, 'a.png'));
  writeFileSync(join(doc, 'b.pdf.txt'), '../../../media/bo/boxcnBBBBxY/b.pdf\n');
  return { db, dir };
}

describe('media shard (migration 0016)', () => {
  it('shards by the last two characters of the token, which vary, not the first two, which do not', () => {
    const tokens = Array.from({ length: 200 }, (_, i) => `boxcn${(i * 7919).toString(36).padStart(6, 'x')}`);
    expect(new Set(tokens.map((t) => t.slice(0, 2))).size).toBe(1);
    expect(new Set(tokens.map(mediaShard)).size).toBeGreaterThan(100);
    expect(mediaRelativePath('boxcnAbCdXY', 'a.png')).toBe('media/xy/boxcnAbCdXY/a.png');
  });

  it('moves stored files of an existing backup to the new shard, with their by-document links', () => {
    const { db, dir } = oldBackup();
    migrate(db);
    const paths = db.prepare('SELECT file_token, path FROM media ORDER BY id').all();
    expect(paths).toEqual([
      { file_token: 'boxcnAAAA12', path: 'media/12/boxcnAAAA12/a.png' },
      { file_token: 'boxcnBBBBxY', path: 'media/xy/boxcnBBBBxY/b.pdf' },
      { file_token: 'boxcnCCCC-_', path: 'media/bo/boxcnCCCC-_/c.txt' },
    ]);
    // The SQL and the code agree on where a new download of these tokens would go.
    expect(mediaRelativePath('boxcnAAAA12', 'a.png')).toBe('media/12/boxcnAAAA12/a.png');

    expect(applyMediaMoves(db, dir)).toEqual({ moved: 2, relinked: 2 });
    for (const { path } of paths as { path: string }[]) expect(existsSync(join(dir, path))).toBe(true);
    expect(existsSync(join(dir, 'media/bo/boxcnAAAA12'))).toBe(false);
    const doc = join(dir, 'by-document/docx/Plan (doxcn1)');
    expect(readlinkSync(join(doc, 'a.png'))).toBe('../../../media/12/boxcnAAAA12/a.png');
    expect(readFileSync(join(doc, 'a.png'), 'utf8')).toBe('bytes of a.png');
    expect(readFileSync(join(doc, 'b.pdf.txt'), 'utf8')).toBe('../../../media/xy/boxcnBBBBxY/b.pdf\n');
    expect(db.prepare('SELECT COUNT(*) AS n FROM media_moves').get()).toEqual({ n: 0 });
    // Running again does nothing.
    expect(applyMediaMoves(db, dir)).toEqual({ moved: 0, relinked: 0 });
  });
});

describe('work folders', () => {
  it('removes empty .partial/ and snapshots/.staging/ folders, keeping any that hold a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-tidy-'));
    mkdirSync(join(dir, '.partial'));
    mkdirSync(join(dir, 'snapshots/.staging/docx/doxcnA'), { recursive: true });
    mkdirSync(join(dir, 'snapshots/.staging/sheet/shtcnB'), { recursive: true });
    writeFileSync(join(dir, 'snapshots/.staging/sheet/shtcnB/0001.json'), '{}');
    expect(removeEmptyWorkFolders(dir)).toBe(3);
    expect(existsSync(join(dir, '.partial'))).toBe(false);
    expect(existsSync(join(dir, 'snapshots/.staging/docx'))).toBe(false);
    expect(existsSync(join(dir, 'snapshots/.staging/sheet/shtcnB/0001.json'))).toBe(true);
    expect(existsSync(join(dir, 'snapshots'))).toBe(true);
  });
});
