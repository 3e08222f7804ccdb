import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, type CliResult, runCli, tempDir, writeConfig } from '../cli/helpers.js';
import {
  addDocx,
  addMedia,
  block,
  emptyTenant,
  type FakeFeishu,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { doneButNotOnDisk, inventoryState, partialFiles } from './harness.js';

/**
 * A full disk and an unwritable output directory stop the run with a clear message; nothing is
 * marked done that is not fully on disk; the next run resumes. Which environment each case covers:
 * - file size limit (`ulimit -f`, EFBIG): any user on Linux/macOS; proves the handling of a write that
 *   the OS refuses mid-file, through the real write path (the kernel refuses, not a mock);
 * - ENOSPC on a small tmpfs: root only (mount), the real "disk full";
 * - EACCES: on a directory without write permission. Root ignores permission bits, so as root the
 *   CLI runs without the capabilities that override them (`setpriv`, util-linux), still uid 0: it can
 *   read the checkout wherever the clone lies. Without setpriv it runs as `nobody`, which must be able
 *   to read the checkout (not so in a clone inside a private 0700 folder, such as `mktemp -d` makes).
 */
const isRoot = process.getuid?.() === 0;
const canMount = isRoot && process.platform === 'linux' && spawnSync('mount', ['--version']).status === 0;
const DROP_DAC = ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--'];
const canDropDac = isRoot && spawnSync(DROP_DAC[0]!, [...DROP_DAC.slice(1), 'true']).status === 0;
const nobodyCanRunCli =
  !canDropDac && spawnSync(process.execPath, [BIN, '--version'], { uid: 65534, gid: 65534 }).status === 0;
/** How the EACCES case runs the CLI so that permission bits bind it; undefined: it cannot here. */
const refusable: { prefix?: string[]; uid?: number } | undefined = !isRoot
  ? {}
  : canDropDac
    ? { prefix: DROP_DAC }
    : nobodyCanRunCli
      ? { uid: 65534 }
      : undefined;

let fake: FakeFeishu | undefined;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Six small files and two of 1.5 MB in one document. */
async function tenant(): Promise<FakeFeishu> {
  const t = emptyTenant({ seed: 21 });
  const small = Array.from({ length: 6 }, (_, i) =>
    addMedia(t, { name: `small-${i}.png`, mimeType: 'image/png', size: 20_000 + i }),
  );
  const big = [0, 1].map((i) =>
    addMedia(t, { name: `big-${i}.bin`, mimeType: 'application/pdf', size: 1_500_000 + i }),
  );
  addDocx(t, { title: 'Doc', content: [...small, ...big].map((m) => block.image(m.token)) });
  return startFakeFeishu({ tenant: t });
}

function config(dir: string, f: FakeFeishu, extra: Record<string, unknown> = {}): string {
  return writeConfig(dir, f, { limits: { downloadQps: 1000, concurrency: 2 }, ...extra });
}

function run(
  args: string[],
  options: { shellPrefix?: string; prefix?: string[]; uid?: number; gid?: number } = {},
): Promise<CliResult> {
  const env = { ...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
  const [first, ...rest] = options.prefix ?? [];
  const child = options.shellPrefix
    ? spawn('sh', ['-c', `${options.shellPrefix}; exec "$0" "$@"`, process.execPath, BIN, ...args], { env })
    : first
      ? spawn(first, [...rest, process.execPath, BIN, ...args], { env })
      : spawn(process.execPath, [BIN, ...args], {
          env,
          ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
        });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

async function expectNothingFalselyDone(out: string, database: string): Promise<void> {
  const state = await inventoryState(database);
  expect(doneButNotOnDisk(out, state.media)).toEqual([]);
  expect(state.media.some((m) => m.status === 'done')).toBe(true);
  expect(state.media.some((m) => m.status !== 'done')).toBe(true);
}

async function expectComplete(out: string, database: string, f: FakeFeishu): Promise<void> {
  const state = await inventoryState(database);
  expect(doneButNotOnDisk(out, state.media)).toEqual([]);
  expect(partialFiles(out)).toEqual([]);
  for (const m of f.expectedMedia().values()) {
    expect(state.media.find((r) => r.file_token === m.token)?.sha256).toBe(m.sha256);
  }
}

describe('a write the OS refuses', () => {
  it('stops at a file size limit (EFBIG) with a clear message, and the next run completes', async () => {
    fake = await tenant();
    const dir = tempDir();
    const cfg = config(dir, fake);
    const out = join(dir, 'backup');
    // 1 MB in the 512-byte blocks of POSIX sh (2 MB where sh is bash, which counts KiB): below the
    // 1.5 MB files, above the inventory's size.
    const r = await run(['backup', '--config', cfg], { shellPrefix: 'ulimit -f 2048' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/EFBIG/);
    expect(r.stderr).toMatch(/file-size limit \(ulimit -f\)/);
    await expectNothingFalselyDone(out, join(out, 'inventory.sqlite'));

    const next = await runCli(['backup', '--config', cfg]);
    expect(next.code, next.stderr).toBe(0);
    await expectComplete(out, join(out, 'inventory.sqlite'), fake);
  });

  it.skipIf(!canMount)(
    'stops on a full disk (ENOSPC, a 4 MB tmpfs) with a clear message, and resumes once space is freed [root]',
    async () => {
      fake = await tenant();
      const dir = tempDir();
      const out = join(dir, 'backup');
      mkdirSync(out);
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', out]).status).toBe(0);
      cleanups.push(() => spawnSync('umount', ['-l', out]));
      // Leave about 1.2 MB free: the small files fit, a big one does not.
      const filler = join(out, 'filler');
      writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024 - 1_200_000));
      const database = join(dir, 'inventory.sqlite');
      const cfg = config(dir, fake, { database: './inventory.sqlite' });
      const r = await runCli(['backup', '--config', cfg]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/ENOSPC/);
      expect(r.stderr).toMatch(/disk is full/);
      await expectNothingFalselyDone(out, database);

      rmSync(filler);
      const next = await runCli(['backup', '--config', cfg]);
      expect(next.code, next.stderr).toBe(0);
      await expectComplete(out, database, fake);
    },
  );

  it.skipIf(!refusable)(
    'stops on an output directory it may not write to (EACCES) with a clear message, and completes once fixed',
    async () => {
      fake = await tenant();
      const dir = tempDir();
      chmodSync(dir, 0o755);
      const out = join(dir, 'backup');
      mkdirSync(out, { mode: 0o555 });
      chmodSync(out, 0o555);
      // The inventory lives elsewhere, writable, so the failure is the output directory's.
      const dbDir = join(dir, 'db');
      mkdirSync(dbDir);
      const cfg = config(dir, fake, { database: './db/inventory.sqlite' });
      chmodSync(cfg, 0o644);
      const asUser = refusable ?? {};
      if (asUser.uid !== undefined) chownSync(dbDir, asUser.uid, asUser.uid);
      const r = await run(['backup', '--config', cfg], asUser);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/EACCES/);
      expect(r.stderr).toMatch(/not writable|permission/i);
      const database = join(dbDir, 'inventory.sqlite');
      const state = await inventoryState(database);
      expect(state.media.filter((m) => m.status === 'done')).toEqual([]);

      chmodSync(out, 0o777);
      const next = await run(['backup', '--config', cfg], asUser);
      expect(next.code, next.stderr).toBe(0);
      await expectComplete(out, database, fake);
    },
  );
});
