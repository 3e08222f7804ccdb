import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
  version: string;
};

describe('the command line', () => {
  it('prints the package version with --version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('lists every command in --help and documents exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['backup', 'crawl', 'download', 'status', 'export', 'verify', 'init']) {
      expect(r.stdout).toContain(`feishu-backup ${cmd}`);
    }
    expect(r.stdout).toMatch(/Exit codes: 0 ok/);
  });

  it('gives each command its own --help with its flags', async () => {
    const r = await runCli(['backup', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--dry-run',
      '--max-downloads',
      '--max-bytes',
      '--max-duration',
      '--concurrency',
      '--retry-failed',
      '--json',
      '--quiet',
      '--verbose',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('exits 2 with the usage hint on an unknown flag or a bad flag value', async () => {
    const unknown = await runCli(['backup', '--no-such-flag']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown argument/);
    const bad = await runCli(['backup', '--max-bytes', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Expected a size such as 500M/);
  });

  it('exits 2 and lists every config problem with its fix', async () => {
    const dir = tempDir();
    const r = await runCli(['backup', '--config', join(dir, 'missing.json')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist; pass --config/);
  });

  it('takes flags from FEISHU_BACKUP_* variables, ignoring those a command has no flag for', async () => {
    const dir = tempDir();
    const env = {
      FEISHU_BACKUP_MAX_DURATION: '2h',
      FEISHU_BACKUP_UNRELATED: 'x',
      FEISHU_BACKUP_DATABASE: join(dir, 'none.sqlite'),
    };
    const status = await runCli(['status'], { env, cwd: dir });
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/No inventory at .*none\.sqlite/);
    const bad = await runCli(['backup'], { env: { FEISHU_BACKUP_MAX_DURATION: 'forever' }, cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Expected a duration/);
  });

  it('writes a starting config with init, and refuses to overwrite it', async () => {
    const dir = tempDir();
    const first = await runCli(['init', '--out', 'c.json'], { cwd: dir });
    expect(first.code).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')) as Record<string, unknown>;
    expect(written.roots).toBeInstanceOf(Array);
    expect(written.appSecret).toBeUndefined();
    const again = await runCli(['init', '--out', 'c.json'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });
});
