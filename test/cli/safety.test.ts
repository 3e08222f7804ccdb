import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeFeishu } from '../fake-feishu/index.js';
import {
  mediaRows,
  runCli,
  runRows,
  spawnCli,
  startHealthyTenant,
  startTenant,
  tempDir,
  trickleDownloads,
  writeConfig,
} from './helpers.js';

let fake: FakeFeishu | undefined;

function writeLock(dir: string, pid: number, file = 'inventory.sqlite.lock'): string {
  const lock = join(dir, 'backup', file);
  spawnSync('mkdir', ['-p', join(dir, 'backup')]);
  writeFileSync(
    lock,
    JSON.stringify({
      pid,
      hostname: hostname(),
      startedAt: '2026-01-01T00:00:00.000Z',
      command: 'backup',
      nonce: 'n',
    }),
  );
  return lock;
}

describe('one run at a time', () => {
  it('exits 6 at once, naming the holder, while another live run holds the lock', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    const lock = writeLock(dir, process.pid);
    const r = await runCli(['backup', '--config', config]);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(
      new RegExp(`Another run holds the inventory lock: backup \\(pid ${process.pid}`),
    );
    expect(fake.requests).toHaveLength(0);
    expect(existsSync(lock)).toBe(true);
  });

  it('takes over the stale lock of a killed run and says so', async () => {
    fake = await startHealthyTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    // A pid that has certainly exited: a child we ran to completion.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const lock = writeLock(dir, dead);
    const r = await runCli(['backup', '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Took over a stale lock left by pid/);
    expect(existsSync(lock)).toBe(false);
  });
});

describe('one run per output folder', () => {
  it('refuses a second inventory writing into an output folder a live run is using, and names the fix', async () => {
    fake = await startTenant();
    const dir = tempDir();
    // Another config, with its own inventory, pointed at the same output folder.
    const config = writeConfig(dir, fake, { database: './other.sqlite' });
    const lock = writeLock(dir, process.pid, '.feishu-backup.lock');
    const r = await runCli(['backup', '--config', config]);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/Another run holds the output folder lock: backup/);
    expect(r.stderr).toMatch(/give each config its own outputDir/);
    expect(fake.requests).toHaveLength(0);
    expect(existsSync(lock)).toBe(true);
    expect(existsSync(join(dir, 'other.sqlite.lock'))).toBe(false);
  });

  it('holds the output folder lock only while it runs', async () => {
    fake = await startHealthyTenant();
    const dir = tempDir();
    const r = await runCli(['backup', '--config', writeConfig(dir, fake)]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'backup', '.feishu-backup.lock'))).toBe(false);
  });
});

describe('off a terminal', () => {
  it('writes a progress line every interval while downloading', async () => {
    fake = await startHealthyTenant();
    const dir = tempDir();
    // Waits for a download to reach the fake before the signal: a progress line can be written
    // before any download is sent, and a SIGINT then would leave the slow fault unfired.
    const started = trickleDownloads(fake, 2000);
    const cli = spawnCli(['backup', '--progress-interval', '0.2', '--config', writeConfig(dir, fake)]);
    await started;
    await cli.waitFor(/progress: download\s+\d+ docs\s+\d+ media files.*\| \d+\/\d+ files/);
    cli.child.kill('SIGINT');
    expect((await cli.done).code).toBe(130);
  });
});

describe('interruption', () => {
  it('on SIGINT parks in-flight files, records the run, exits 130; the next run resumes and completes', async () => {
    fake = await startHealthyTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    // Downloads trickle, so the signal lands mid-file.
    const started = trickleDownloads(fake, 200);
    const cli = spawnCli(['backup', '--config', config]);
    await started;
    await cli.waitFor(/Downloading \d+ file/);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/SIGINT: stopping/);
    expect(r.stdout).toMatch(/interrupted; the next run resumes/);
    const db = join(dir, 'backup', 'inventory.sqlite');
    expect((await runRows(db)).at(-1)).toEqual({ command: 'backup', status: 'interrupted', exit_code: 130 });
    expect(existsSync(`${db}.lock`)).toBe(false);

    fake.faults.clear();
    const resumed = await runCli(['download', '--config', config]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await mediaRows(db)).every((m) => m.status === 'done')).toBe(true);
  });

  it('treats SIGTERM (systemd, docker stop) like Ctrl-C', async () => {
    fake = await startHealthyTenant();
    const dir = tempDir();
    const started = trickleDownloads(fake, 200);
    const cli = spawnCli(['backup', '--config', writeConfig(dir, fake)]);
    await started;
    cli.child.kill('SIGTERM');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/SIGTERM: stopping/);
    expect((await runRows(join(dir, 'backup', 'inventory.sqlite'))).at(-1)?.status).toBe('interrupted');
  });

  it('exits at once with 130 on a second SIGINT, leaving an inventory the next run can use', async () => {
    fake = await startHealthyTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    // So slow that the first Ctrl-C cannot finish the files: only the second one ends the run.
    const started = trickleDownloads(fake, 1);
    const cli = spawnCli(['backup', '--config', config]);
    await started;
    await cli.waitFor(/Downloading \d+ file/);
    cli.child.kill('SIGINT');
    await cli.waitFor(/Press Ctrl-C again/);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    const db = join(dir, 'backup', 'inventory.sqlite');
    expect(existsSync(`${db}.lock`)).toBe(false);
    fake.faults.clear();
    const next = await runCli(['backup', '--config', config]);
    expect(next.code, next.stderr).toBe(0);
    // The run that exited at once could not record its end; the next one marks it interrupted.
    expect((await runRows(db)).map((r) => r.status)).toEqual(['interrupted', 'ok']);
  });
});
