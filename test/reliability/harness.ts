import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Shared checks of the reliability suite: what a user would inspect after a crash (files on disk,
 * their bytes, the inventory), read with plain fs and a read-only SQLite connection.
 */

/** A tiny seeded PRNG (mulberry32): the suites print their seed so a failure can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from `env` when set (to replay a failure), else `fallback`. */
export function seedFrom(env: string | undefined, fallback: number): number {
  const n = Number(env);
  return Number.isSafeInteger(n) && env !== undefined && env !== '' ? n : fallback;
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every regular file under `dir/sub` as `relative path -> sha256` (paths with `/`). */
export function hashTree(dir: string, sub: string): Map<string, string> {
  const out = new Map<string, string>();
  const root = join(dir, sub);
  if (!existsSync(root)) return out;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(relative(dir, p).split(sep).join('/'), sha256File(p));
    }
  };
  walk(root);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Files left in `.partial/` (`.part` and sidecars). */
export function partialFiles(dir: string): string[] {
  const p = join(dir, '.partial');
  return existsSync(p) ? readdirSync(p) : [];
}

export interface MediaState {
  file_token: string;
  status: string;
  sha256: string | null;
  path: string | null;
  size: number | null;
}

export interface RefState {
  file_token: string;
  doc_type: string;
  doc_token: string;
  location: string;
  kind: string;
  gone: number;
}

export interface InventoryState {
  media: MediaState[];
  refs: RefState[];
}

/** The inventory as an auditor compares it: independent of row ids and insertion order. */
export async function inventoryState(database: string): Promise<InventoryState> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(database, { readonly: true });
  try {
    const media = db
      .prepare('SELECT file_token, status, sha256, path, size FROM media ORDER BY file_token')
      .all() as MediaState[];
    const refs = db
      .prepare(
        `SELECT m.file_token, d.type AS doc_type, d.token AS doc_token, r.location, r.kind,
                (r.gone_at IS NOT NULL) AS gone
         FROM media_refs r JOIN media m ON m.id = r.media_id JOIN documents d ON d.id = r.document_id
         ORDER BY m.file_token, d.type, d.token, r.location`,
      )
      .all() as RefState[];
    return { media, refs };
  } finally {
    db.close();
  }
}

/**
 * The crash invariant: every row marked `done` names a file that is on disk with exactly the
 * recorded SHA-256. Returns the violations (empty when the invariant holds).
 */
export function doneButNotOnDisk(outputDir: string, media: MediaState[]): string[] {
  const bad: string[] = [];
  for (const m of media) {
    if (m.status !== 'done') continue;
    const file = m.path ? join(outputDir, m.path) : undefined;
    if (!file || !existsSync(file)) bad.push(`${m.file_token}: done but ${m.path ?? '(no path)'} is missing`);
    else if (sha256File(file) !== m.sha256) bad.push(`${m.file_token}: done but ${m.path} has other bytes`);
  }
  return bad;
}
