import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** What a lock file holds: enough to tell who holds it and whether they are still alive. */
export interface LockInfo {
  pid: number;
  hostname: string;
  startedAt: string;
  command: string;
  /** Random per acquisition, so a takeover can tell "the stale lock I saw" from "a new one". */
  nonce: string;
}

export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  readonly code = 'INVENTORY_LOCKED';
  constructor(
    readonly lockPath: string,
    readonly holder: LockInfo | undefined,
    readonly what: LockTarget = 'inventory',
  ) {
    const who = holder
      ? `${holder.command} (pid ${holder.pid} on ${holder.hostname}, started ${holder.startedAt})`
      : 'another process';
    const shared =
      what === 'output folder'
        ? ' Two inventories must not share one output folder: give each config its own outputDir.'
        : '';
    super(
      `Another run holds the ${what} lock: ${who}. Wait for it to finish.${shared} ` +
        `If you are sure it is gone (e.g. it ran on another host that crashed), delete ${lockPath}.`,
    );
  }
}

/** What a lock guards: the inventory database, or the output folder the files are written to. */
export type LockTarget = 'inventory' | 'output folder';

export interface RunLock {
  readonly path: string;
  readonly info: LockInfo;
  /** Set when a stale lock from a dead process was taken over. */
  readonly tookOver: LockInfo | undefined;
  /** Removes the lock file if it is still ours. Idempotent and synchronous (safe in an exit handler). */
  release(): void;
}

/** The lock file for an inventory database: next to it, so every run on that inventory sees it. */
export function lockPathFor(databasePath: string): string {
  return `${databasePath}.lock`;
}

/**
 * The lock file of an output folder, inside it: two runs with different inventories (two configs)
 * pointed at one folder would otherwise write the same `.partial` files and swap the same view.
 */
export function outputLockPathFor(outputDir: string): string {
  return join(outputDir, '.feishu-backup.lock');
}

/** True when `pid` is a live process on this host (EPERM: alive, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string') return parsed as LockInfo;
  } catch {
    // Missing, half-written or garbage: the caller decides.
  }
  return undefined;
}

/**
 * Takes the one-run-at-a-time lock for an inventory. Creation is atomic (`wx`). A lock whose holder
 * is a dead process on this host is stale and is taken over; a lock from another host is respected,
 * since its pid means nothing here.
 */
export function acquireLock(
  lockPath: string,
  command: string,
  now = new Date(),
  what: LockTarget = 'inventory',
): RunLock {
  const info: LockInfo = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: now.toISOString(),
    command,
    nonce: randomBytes(8).toString('hex'),
  };
  let tookOver: LockInfo | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(lockPath, `${JSON.stringify(info)}\n`, { flag: 'wx', mode: 0o644 });
      return makeLock(lockPath, info, tookOver);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readLock(lockPath);
    if (holder && (holder.hostname !== info.hostname || isProcessAlive(holder.pid))) {
      throw new LockHeldError(lockPath, holder, what);
    }
    // A lock with unreadable content is usually one a killed process was still writing; treat it as
    // stale only if it stays unreadable (the writer may be mid-write right now).
    if (!holder && attempt === 0) continue;
    if (takeOver(lockPath, holder)) tookOver = holder;
  }
  throw new LockHeldError(lockPath, readLock(lockPath), what);
}

/**
 * Moves a stale lock aside by rename (atomic), then checks it moved the lock it judged stale. If a
 * live process re-created the lock in between, puts that one back and reports failure.
 */
function takeOver(lockPath: string, stale: LockInfo | undefined): boolean {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  const moved = readLock(aside);
  if (moved && stale && moved.nonce !== stale.nonce) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // Someone else holds a fresh lock already; either way the next attempt sees it.
    }
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

function makeLock(path: string, info: LockInfo, tookOver: LockInfo | undefined): RunLock {
  let released = false;
  return {
    path,
    info,
    tookOver,
    release(): void {
      if (released) return;
      released = true;
      if (readLock(path)?.nonce !== info.nonce) return;
      try {
        unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}

/**
 * Marks runs still `running` as interrupted. Only call while holding the lock: then no other run is
 * alive, so such rows belong to a process that was killed (SIGKILL, power loss) before recording its end.
 */
export function markAbandonedRuns(db: import('./open.js').Db, now = new Date()): number {
  return db
    .prepare("UPDATE runs SET status = 'interrupted', ended_at = ? WHERE status = 'running'")
    .run(now.toISOString()).changes;
}
