import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockHeldError } from '../../src/inventory/lock.js';

const lockFile = (): string => join(mkdtempSync(join(tmpdir(), 'fb-lock-')), 'inventory.sqlite.lock');

describe('the run lock', () => {
  it('is created atomically with pid, host and start time, and removed on release', () => {
    const path = lockFile();
    const lock = acquireLock(path, 'backup');
    const info = JSON.parse(readFileSync(path, 'utf8')) as {
      pid: number;
      hostname: string;
      startedAt: string;
    };
    expect(info.pid).toBe(process.pid);
    expect(info.hostname).toBe(hostname());
    expect(Date.parse(info.startedAt)).not.toBeNaN();
    expect(() => acquireLock(path, 'download')).toThrow(LockHeldError);
    lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('takes over a lock whose process is dead', () => {
    const path = lockFile();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(
      path,
      JSON.stringify({ pid: dead, hostname: hostname(), startedAt: 'x', command: 'backup', nonce: 'a' }),
    );
    const lock = acquireLock(path, 'backup');
    expect(lock.tookOver?.pid).toBe(dead);
    lock.release();
  });

  it('respects a lock held from another host, whose pid means nothing here', () => {
    const path = lockFile();
    writeFileSync(
      path,
      JSON.stringify({ pid: 999999, hostname: 'elsewhere', startedAt: 'x', command: 'backup', nonce: 'a' }),
    );
    expect(() => acquireLock(path, 'backup')).toThrow(/pid 999999 on elsewhere/);
  });

  it('does not remove a lock that is no longer its own', () => {
    const path = lockFile();
    const lock = acquireLock(path, 'backup');
    writeFileSync(
      path,
      JSON.stringify({
        pid: process.pid,
        hostname: hostname(),
        startedAt: 'x',
        command: 'other',
        nonce: 'b',
      }),
    );
    lock.release();
    expect(existsSync(path)).toBe(true);
  });
});
