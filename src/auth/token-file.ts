import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** One saved login: the token pair of one user for one app, in one 0600 file per config. */
export interface StoredLogin {
  version: 1;
  appId: string;
  baseUrl: string;
  name?: string;
  openId?: string;
  /** Space-separated, as granted. */
  scope: string;
  accessToken: string;
  /** Epoch ms. */
  accessExpiresAt: number;
  refreshToken?: string;
  /** Epoch ms; absent without `offline_access` (then the login ends with its access token). */
  refreshExpiresAt?: number;
  /** Epoch ms of the consent: Feishu asks for a new one after 365 days (20037). */
  signedInAt: number;
  /** Epoch ms of this pair. */
  updatedAt: number;
}

/** The login file of an inventory: beside it, so each config has its own. */
export function loginPathFor(databasePath: string): string {
  return `${databasePath}.login.json`;
}

/** Where a refresh writes the new pair before it renames it into place. */
export function tempPathOf(file: string): string {
  return `${file}.tmp`;
}

/** The steps of a save, in order: a kill -9 after any of them leaves a readable login (see README). */
export type SaveStep = 'temp-written' | 'temp-synced' | 'renamed' | 'dir-synced';

/** Reads a login file; undefined when absent; throws on a file that is not a login. */
export function readLogin(file: string): StoredLogin | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseLogin(text, file);
}

export function parseLogin(text: string, file: string): StoredLogin {
  const v = JSON.parse(text) as Partial<StoredLogin>;
  if (v.version !== 1 || typeof v.accessToken !== 'string' || typeof v.accessExpiresAt !== 'number') {
    throw new Error(`${file} is not a feishu-backup login file`);
  }
  return v as StoredLogin;
}

/**
 * Writes a login so that a crash at any point leaves either the old file or the new one: the new
 * pair goes to a temp file (0600), is fsynced, renamed over the old one, and the folder is fsynced
 * so the rename itself survives a power cut. `onStep` runs after each step (failpoints in tests).
 */
export function saveLogin(file: string, login: StoredLogin, onStep?: (step: SaveStep) => void): void {
  const temp = tempPathOf(file);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(login, null, 2)}\n`);
    onStep?.('temp-written');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  onStep?.('temp-synced');
  renameSync(temp, file);
  onStep?.('renamed');
  syncDir(dirname(file));
  onStep?.('dir-synced');
}

/**
 * A temp file left by a run killed between writing it and renaming it holds the newest pair (Feishu
 * already rotated the old one): finish the rename. One that does not parse (a power cut mid-write)
 * is dropped. Call under the refresh lock.
 */
export function recoverTemp(file: string): 'recovered' | 'dropped' | 'none' {
  const temp = tempPathOf(file);
  let text: string;
  try {
    text = readFileSync(temp, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw e;
  }
  let fresh: StoredLogin;
  try {
    fresh = parseLogin(text, temp);
  } catch {
    rmSync(temp, { force: true });
    return 'dropped';
  }
  let current: StoredLogin | undefined;
  try {
    current = readLogin(file);
  } catch {
    current = undefined;
  }
  if (current && current.updatedAt >= fresh.updatedAt) {
    rmSync(temp, { force: true });
    return 'dropped';
  }
  renameSync(temp, file);
  syncDir(dirname(file));
  return 'recovered';
}

export function removeLogin(file: string): boolean {
  let existed = true;
  try {
    rmSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    existed = false;
  }
  rmSync(tempPathOf(file), { force: true });
  syncDir(dirname(file));
  return existed;
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
