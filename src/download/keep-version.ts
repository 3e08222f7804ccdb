import { constants, type Stats } from 'node:fs';
import { copyFile, type FileHandle, link, lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { MediaRow } from '../inventory/media-queue.js';
import { VERSIONS_FOLDER } from '../naming/media-path.js';
import { syncDir } from './part-file.js';

/**
 * Earlier versions of a drive file (see LAYOUT.md). A drive file keeps its token when someone uploads
 * a new version in Feishu, so the new bytes land in the same token folder as the copy already backed
 * up. Before they are published, that copy is kept beside them:
 *
 *   media/<fan>/<token>/<name>                          the current version
 *   media/<fan>/<token>/versions/<when>/<earlier name>  each earlier version, as it was backed up
 *
 * `<when>` is the earlier version's time in Feishu (`2026-01-01T08-30-00Z`), or, for a copy taken
 * before versions were recorded, the time it was downloaded (`2026-01-01T08-30-00Z-downloaded`).
 */
export { VERSIONS_FOLDER } from '../naming/media-path.js';

/** Where an earlier copy went, relative to outputDir (`/`-separated). */
export interface KeptCopy {
  /** Undefined when the bytes are the same (only the name changed): nothing to keep, only to drop. */
  path: string | undefined;
  /** The stored copy that was in the way, relative to outputDir; removed once it is no longer the current name. */
  replaced: string;
}

/**
 * Keeps the stored copy of `row` that the file about to be published at `newPath` (relative to
 * outputDir) replaces: only when there is one, in the same token folder, and the new file's SHA-256
 * differs from the one the inventory records for it. A hard link (a copy where links fail), so
 * the earlier copy stays at its place until the new file is renamed over it: a crash at any point
 * leaves the earlier version on disk. Idempotent: a copy already kept (a run that stopped before
 * marking the row `done`) is left as it is.
 */
export async function keepEarlierCopy(
  outputDir: string,
  row: Pick<MediaRow, 'path' | 'sha256' | 'downloaded_version' | 'downloaded_at'>,
  newPath: string,
  newSha256: string,
): Promise<KeptCopy | undefined> {
  if (!row.path || !row.sha256) return undefined;
  const old = toPosix(row.path);
  const folder = posix.dirname(toPosix(newPath));
  // Only our own stored copy, in this token's folder: anything else is not in the way.
  if (posix.dirname(old) !== folder) return undefined;
  const from = join(outputDir, old);
  const found = await lstat(from).catch(() => undefined);
  if (!found?.isFile()) return undefined;
  // The same bytes under another name (a rename bumps the listing's time): no version to keep, but
  // the copy under the old name is dropped once the new one is in place, as for a new version.
  if (row.sha256 === newSha256)
    return old === toPosix(newPath) ? undefined : { path: undefined, replaced: old };
  const kept = posix.join(folder, VERSIONS_FOLDER, versionLabel(row), posix.basename(old));
  const to = join(outputDir, kept);
  if (!(await lstat(to).catch(() => undefined))) {
    await mkdir(dirname(to), { recursive: true });
    await linkOrCopy(from, to);
    await syncDir(dirname(to));
  }
  return { path: kept, replaced: old };
}

/**
 * After the new file is in place under another name than the copy it replaced: removes that copy
 * from the token folder (it is kept under versions/), so the folder shows one current file.
 */
export async function dropReplaced(outputDir: string, kept: KeptCopy, newPath: string): Promise<void> {
  if (kept.replaced === toPosix(newPath)) return;
  const replaced = join(outputDir, kept.replaced);
  const [was, now] = await Promise.all([
    lstat(replaced).catch(() => undefined),
    lstat(join(outputDir, newPath)).catch(() => undefined),
  ]);
  // On a case-insensitive disk `Report.pdf` and `report.pdf` are one entry: the new file itself.
  if (!was || (now && was.dev === now.dev && was.ino === now.ino)) return;
  await rm(replaced, { force: true });
}

/** `2026-01-01T08-30-00Z` from the version's unix seconds, else `…-downloaded` from the download time. */
export function versionLabel(row: Pick<MediaRow, 'downloaded_version' | 'downloaded_at' | 'sha256'>): string {
  const seconds = Number(row.downloaded_version ?? Number.NaN);
  if (Number.isSafeInteger(seconds)) return stamp(new Date(seconds * 1000));
  const at = row.downloaded_at ? new Date(row.downloaded_at) : undefined;
  if (at && !Number.isNaN(at.getTime())) return `${stamp(at)}-downloaded`;
  return `sha256-${(row.sha256 ?? 'unknown').slice(0, 16)}`;
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}

/**
 * Recognises `by-document` entries that show an earlier version of a stored file: hard links to a
 * copy kept under its versions/ folder, or symlinks into its token folder that no longer name the
 * current file. Undefined when the file has no kept version (the common case: one readdir).
 */
export async function earlierVersionTest(
  mediaFile: string,
): Promise<((entry: string, stats: Stats, symlinkTarget?: string) => boolean) | undefined> {
  const tokenFolder = dirname(mediaFile);
  const versions = join(tokenFolder, VERSIONS_FOLDER);
  const labels = await readdir(versions).catch(() => [] as string[]);
  if (labels.length === 0) return undefined;
  const inodes = new Set<string>();
  for (const label of labels) {
    const names = await readdir(join(versions, label)).catch(() => [] as string[]);
    for (const name of names) {
      const s = await lstat(join(versions, label, name)).catch(() => undefined);
      if (s?.isFile()) inodes.add(`${s.dev}:${s.ino}`);
    }
  }
  return (entry, stats, symlinkTarget) => {
    if (stats.isSymbolicLink()) {
      if (symlinkTarget === undefined) return false;
      const to = join(dirname(entry), symlinkTarget);
      return to !== mediaFile && dirname(to) === tokenFolder;
    }
    return stats.isFile() && inodes.has(`${stats.dev}:${stats.ino}`);
  };
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
    return;
  } catch {
    // FAT, some network shares: no hard links. Copy, durably, under a temporary name first.
  }
  const tmp = `${to}.tmp-${process.pid}`;
  await rm(tmp, { force: true });
  await copyFile(from, tmp, constants.COPYFILE_EXCL);
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmp, 'r+');
    await fh.sync();
  } finally {
    await fh?.close();
  }
  await rename(tmp, to);
}

function toPosix(p: string): string {
  return p.split('\\').join('/');
}
