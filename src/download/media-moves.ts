import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import type { Db } from '../inventory/open.js';

export interface MovesDone {
  /** Token folders moved on disk. */
  moved: number;
  /** `by-document` symlinks and pointer files rewritten to the new place. */
  relinked: number;
}

/**
 * Moves media token folders to the places migration 0016 already gave their rows (the shard by the
 * token's last two characters), then drops each row of `media_moves`. Safe to repeat and to kill:
 * a folder is moved with one rename, and a row whose folder is no longer at its old place (moved
 * already, or never there) is just dropped. Hard links in `by-document` follow the file by
 * themselves; symlinks and `<name>.txt` pointers that named the old place are rewritten. Called by
 * every command that writes to the output folder, under its lock, before anything reads a path.
 */
export function applyMediaMoves(db: Db, outputDir: string): MovesDone {
  const rows = db.prepare('SELECT media_id, from_dir, to_dir FROM media_moves').all() as {
    media_id: number;
    from_dir: string;
    to_dir: string;
  }[];
  const done: MovesDone = { moved: 0, relinked: 0 };
  if (rows.length === 0) return done;
  const drop = db.prepare('DELETE FROM media_moves WHERE media_id = ?');
  const movedDirs = new Map<string, string>();
  const oldShards = new Set<string>();
  for (const row of rows) {
    const from = join(outputDir, row.from_dir);
    const to = join(outputDir, row.to_dir);
    if (existsSync(from)) {
      mkdirSync(dirname(to), { recursive: true });
      if (existsSync(to)) mergeInto(from, to);
      else renameSync(from, to);
      movedDirs.set(row.from_dir, row.to_dir);
      oldShards.add(dirname(from));
      done.moved++;
    }
    drop.run(row.media_id);
  }
  for (const shard of oldShards) removeIfEmpty(shard);
  if (movedDirs.size > 0) done.relinked = relink(join(outputDir, 'by-document'), outputDir, movedDirs);
  return done;
}

/** A move killed half way through a merge (two runs over one folder): the entries not there yet go over. */
function mergeInto(from: string, to: string): void {
  for (const entry of readdirSync(from)) {
    const target = join(to, entry);
    if (!existsSync(target)) renameSync(join(from, entry), target);
  }
  removeIfEmpty(from);
}

function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Not there, or not empty: both fine.
  }
}

/** Rewrites symlinks and pointer files under `by-document` that point into a moved token folder. */
function relink(root: string, outputDir: string, moved: Map<string, string>): number {
  let count = 0;
  const newPlace = (absolute: string): string | undefined => {
    const rel = relative(outputDir, absolute).split(sep).join('/');
    const tokenDir = rel.split('/').slice(0, 3).join('/');
    const to = moved.get(tokenDir);
    return to === undefined ? undefined : join(outputDir, to + rel.slice(tokenDir.length));
  };
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      const stats = lstatSync(path);
      if (stats.isDirectory()) walk(path);
      else if (stats.isSymbolicLink()) {
        const target = newPlace(resolve(dir, readlinkSync(path)));
        if (target === undefined) continue;
        unlinkSync(path);
        symlinkSync(relative(dir, target), path);
        count++;
      } else if (entry.endsWith('.txt') && stats.size < 4096) {
        const written = readFileSync(path, 'utf8').trim();
        const target = newPlace(resolve(dir, written));
        if (target === undefined) continue;
        writeFileSync(path, `${posix.normalize(relative(dir, target).split(sep).join('/'))}\n`);
        count++;
      }
    }
  };
  walk(root);
  return count;
}
