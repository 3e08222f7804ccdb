import { randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import {
  link,
  lstat,
  mkdir,
  readdir,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { MediaSource } from '../inventory/media-refs.js';
import type { Db } from '../inventory/open.js';
import { documentFolderName } from '../naming/media-path.js';
import { sanitizeFilename } from '../naming/sanitize-filename.js';
import { earlierVersionTest } from './keep-version.js';

interface RefRow {
  doc_type: string;
  doc_token: string;
  title: string | null;
}

export type LinkKind = 'hardlink' | 'symlink' | 'pointer' | 'existing';

/** Tells a `by-document` entry that shows an earlier version of the file (see keep-version.ts). */
type EarlierTest = (entry: string, stats: Stats, symlinkTarget?: string) => boolean;

/**
 * Adds `by-document` entries for every live reference of a stored media file. A name already taken by
 * another file in the same folder gets ` (<token prefix>)` before its extension; an entry that
 * already points at this file is left alone, so the step is idempotent and safe to repeat.
 *
 * A drive file with earlier versions kept (a new version was published over it): an entry that still
 * shows an earlier version is replaced by one to the current file, atomically (made under a temporary
 * name, then renamed over it); one under another name (the new version was renamed) is removed once
 * the current one is in place. The earlier bytes stay under the token's versions/ folder.
 */
export async function linkByDocument(
  db: Db,
  outputDir: string,
  media: { id: number; fileToken: string; path: string; source?: MediaSource },
): Promise<LinkKind[]> {
  const refs = db
    .prepare<[number], RefRow>(
      `SELECT DISTINCT d.type AS doc_type, d.token AS doc_token, d.title AS title
       FROM media_refs r JOIN documents d ON d.id = r.document_id
       WHERE r.media_id = ? AND r.gone_at IS NULL`,
    )
    .all(media.id);
  const target = join(outputDir, media.path);
  const name = media.path.split(/[\\/]/).at(-1)!;
  // Only drive files get new versions under one token: others are spared the look.
  const earlier =
    refs.length > 0 && (media.source ?? 'drive_file') === 'drive_file'
      ? await earlierVersionTest(target)
      : undefined;
  const out: LinkKind[] = [];
  for (const ref of refs) {
    const folder = join(
      outputDir,
      'by-document',
      sanitizeFilename(ref.doc_type, { fallback: 'document' }),
      documentFolderName(ref.title, ref.doc_token),
    );
    out.push(await placeEntry(target, folder, name, media.fileToken, earlier));
    if (earlier) await dropEarlierEntries(folder, earlier);
  }
  return out;
}

async function placeEntry(
  target: string,
  folder: string,
  name: string,
  fileToken: string,
  earlier: EarlierTest | undefined,
): Promise<LinkKind> {
  await mkdir(folder, { recursive: true });
  const candidates = [name, withSuffix(name, fileToken.slice(0, 8)), withSuffix(name, fileToken)];
  for (const candidate of candidates) {
    const path = join(folder, candidate);
    const existing = await lstat(path).catch(() => undefined);
    if (existing) {
      if (await pointsAt(path, existing, target)) return 'existing';
      if (earlier && (await isEarlier(earlier, path, existing))) {
        const replaced = await replaceEntry(target, path);
        if (replaced) return replaced;
      }
      continue;
    }
    return makeEntry(target, path);
  }
  // Three names taken by other files: one more is not worth a loop; report it as a pointer.
  return makeEntry(target, join(folder, withSuffix(name, `${fileToken}-${Date.now()}`)));
}

async function makeEntry(target: string, path: string): Promise<LinkKind> {
  try {
    await link(target, path);
    return 'hardlink';
  } catch {
    // Another file system, FAT, or a share that refuses hard links: try a relative symlink.
  }
  try {
    await symlink(relative(dirname(path), target), path);
    return 'symlink';
  } catch {
    // Windows without the symlink privilege: leave a small text file that says where the file is.
  }
  await writeFile(`${path}.txt`, `${relative(dirname(path), target).split(sep).join('/')}\n`);
  return 'pointer';
}

/** Links (else symlinks) `target` under a temporary name, then renames it over `path`: never a moment without an entry. */
async function replaceEntry(target: string, path: string): Promise<LinkKind | undefined> {
  // Unique per call: downloads in flight replace entries of one document folder at the same time.
  const tmp = join(dirname(path), `.feishu-backup-${process.pid}-${randomUUID()}.tmp`);
  await rm(tmp, { force: true });
  let kind: LinkKind;
  try {
    await link(target, tmp);
    kind = 'hardlink';
  } catch {
    try {
      await symlink(relative(dirname(path), target), tmp);
      kind = 'symlink';
    } catch {
      // Neither works here any more: leave the entry, the current file goes beside it.
      return undefined;
    }
  }
  await rename(tmp, path);
  return kind;
}

/** Removes entries of a document folder that still show an earlier version of the file (a renamed one). */
async function dropEarlierEntries(folder: string, earlier: EarlierTest): Promise<void> {
  for (const entry of await readdir(folder)) {
    const path = join(folder, entry);
    const stats = await lstat(path).catch(() => undefined);
    if (stats && (await isEarlier(earlier, path, stats))) await rm(path, { force: true });
  }
}

async function isEarlier(earlier: EarlierTest, path: string, stats: Stats): Promise<boolean> {
  const to = stats.isSymbolicLink() ? await readlink(path).catch(() => undefined) : undefined;
  return earlier(path, stats, to);
}

async function pointsAt(
  path: string,
  existing: Awaited<ReturnType<typeof lstat>>,
  target: string,
): Promise<boolean> {
  if (existing.isSymbolicLink()) {
    const to = await readlink(path).catch(() => '');
    return join(dirname(path), to) === target;
  }
  const t = await stat(target).catch(() => undefined);
  return t !== undefined && t.ino === existing.ino && t.dev === existing.dev;
}

/** `photo (abc12345).png` */
function withSuffix(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.');
  const safe = sanitizeFilename(suffix, { maxBytes: 64 });
  return dot > 0 ? `${name.slice(0, dot)} (${safe})${name.slice(dot)}` : `${name} (${safe})`;
}
