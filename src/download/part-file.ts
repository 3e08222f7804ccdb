import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type FileHandle, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { uptime } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A download in progress: `<outputDir>/.partial/<token>.part` holds the bytes received so far and
 * `<token>.part.json` what they belong to (`total` size, the server's name and type) and how many
 * are known durable (`synced`).
 *
 * Why the sidecar: after a process crash the kernel still has every written byte, so the file size
 * can be trusted; after an OS crash or power loss, only what was fsynced can (a file may come back
 * with its size but zeroed blocks). `boot` tells the two apart, so a resume after kill -9 loses
 * nothing and a resume after a power cut never builds on unsynced bytes.
 */
export interface PartMeta extends PartAbout {
  v: 1;
  /** The file's size as announced when the `.part` was started; UNKNOWN_TOTAL when it was not. */
  total: number;
  synced: number;
  boot: string;
}

/** The sidecar `total` of a body that announced no length (a 200 without `Content-Length`). */
export const UNKNOWN_TOTAL = Number.MAX_SAFE_INTEGER;

/**
 * What the server said about the file (`Content-Disposition` name, MIME type): kept in the sidecar
 * so a `.part` finished from disk by a later run is named as the run that received it would have.
 */
export interface PartAbout {
  fileName?: string;
  mimeType?: string;
  /**
   * The version of the file the bytes belong to (a drive file's `remote_version`): a drive file keeps
   * its token across uploads, so a `.part` of an earlier version must not be continued with the
   * bytes of a later one, even of the same size.
   */
  version?: string;
}

/** What a previous attempt left: the bytes that can be kept, and what the sidecar says they are. */
export interface ResumePoint extends PartAbout {
  have: number;
  total?: number;
}

export interface PartPaths {
  part: string;
  meta: string;
}

let cachedBoot: string | undefined;

/** Identifies this boot of the OS: Linux's boot id, else the boot time to the minute. */
export function bootId(): string {
  if (cachedBoot === undefined) {
    try {
      cachedBoot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBoot = `t${Math.round((Date.now() / 1000 - uptime()) / 60)}`;
    }
  }
  return cachedBoot;
}

export function partPaths(outputDir: string, fileToken: string): PartPaths {
  const safe = /^[\w-]{1,128}$/.test(fileToken)
    ? fileToken
    : createHash('sha256').update(fileToken).digest('hex');
  const part = join(outputDir, '.partial', `${safe}.part`);
  return { part, meta: `${part}.json` };
}

/**
 * How many bytes of a previous attempt can be kept: 0 when there is no `.part`, no readable
 * sidecar, a sidecar for another size than `expectedTotal`, or, when `version` is given, for another
 * version of the file. Trims the `.part` to that length.
 */
export async function resumePoint(
  paths: PartPaths,
  expectedTotal?: number,
  version?: string,
): Promise<ResumePoint> {
  let meta: PartMeta | undefined;
  try {
    const parsed = JSON.parse(await readFile(paths.meta, 'utf8')) as Partial<PartMeta>;
    if (parsed.v === 1 && Number.isSafeInteger(parsed.total) && Number.isSafeInteger(parsed.synced)) {
      meta = parsed as PartMeta;
    }
  } catch {
    // No sidecar (never started, or crashed before writing it): nothing to trust.
  }
  let size: number;
  try {
    size = (await stat(paths.part)).size;
  } catch {
    size = 0;
  }
  if (
    !meta ||
    size === 0 ||
    (expectedTotal !== undefined && meta.total !== expectedTotal) ||
    (version !== undefined && meta.version !== version)
  ) {
    await discardPart(paths);
    return { have: 0 };
  }
  let have = meta.boot === bootId() ? size : Math.min(size, meta.synced);
  have = Math.min(have, meta.total);
  if (have !== size) {
    const fh = await open(paths.part, 'r+');
    try {
      await fh.truncate(have);
    } finally {
      await fh.close();
    }
  }
  const point: ResumePoint = { have, total: meta.total };
  // Sidecars written before these fields existed simply lack them: the inventory's name is used.
  if (typeof meta.fileName === 'string') point.fileName = meta.fileName;
  if (typeof meta.mimeType === 'string') point.mimeType = meta.mimeType;
  if (typeof meta.version === 'string') point.version = meta.version;
  return point;
}

/**
 * Seals a `.part` that already holds all `total` bytes (a run stopped between the last byte and the
 * rename, or `finish` failed after the body): fsyncs it, as `finish` would have, and hashes it from
 * disk, so it can be published without asking the server again. Returns undefined, touching nothing,
 * when the file is not exactly `total` bytes.
 */
export async function sealCompletePart(
  paths: PartPaths,
  total: number,
): Promise<{ sha256: string; bytes: number } | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(paths.part, 'r+');
  } catch {
    return undefined;
  }
  try {
    if ((await fh.stat()).size !== total) return undefined;
    const hash = createHash('sha256');
    for await (const chunk of fh.createReadStream({ start: 0, autoClose: false })) {
      hash.update(chunk as Buffer);
    }
    // A killed process may have left these bytes only in the page cache: durable before the rename.
    await fh.sync();
    return { sha256: hash.digest('hex'), bytes: total };
  } finally {
    await fh.close();
  }
}

export async function discardPart(paths: PartPaths): Promise<void> {
  await rm(paths.part, { force: true });
  await rm(paths.meta, { force: true });
}

/**
 * Moves a finished `.part` to `finalPath` (same filesystem, so atomic), fsyncs the directory so the
 * rename survives a crash, and removes the sidecar.
 */
export async function publishPart(paths: PartPaths, finalPath: string): Promise<void> {
  await mkdir(dirname(finalPath), { recursive: true });
  await rename(paths.part, finalPath);
  await syncDir(dirname(finalPath));
  await rm(paths.meta, { force: true });
}

/** Makes a rename in `dir` survive a crash (fsync of the directory; a no-op where that is not possible). */
export async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot open a directory; its rename is durable enough for us there.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

export async function writeMeta(paths: PartPaths, meta: PartMeta): Promise<void> {
  const tmp = `${paths.meta}.tmp`;
  await writeFile(tmp, JSON.stringify(meta));
  await rename(tmp, paths.meta);
}
