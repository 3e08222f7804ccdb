import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const DEMO = join(import.meta.dirname, '..', '..', 'dist', 'bench', 'demo.js');

function runDemo(cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [DEMO], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_PROXY: '127.0.0.1,localhost' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d;
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('npm run demo', () => {
  it('starts clean on a second run, says so, and leaves no temporary config behind', async () => {
    const dir = tempDir();
    const first = await runDemo(dir);
    expect(first.code, first.out).toBe(0);
    expect(first.out).not.toMatch(/Removed/);
    const second = await runDemo(dir);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toMatch(/Removed \.\/demo-backup from an earlier demo run; starting clean/);
    const downloaded = /Downloaded\s+(\d+) files/.exec(second.out)?.[1];
    expect(Number(downloaded)).toBeGreaterThan(0);
    for (const run of [first, second]) {
      const config = /temporary config:\n\s+(\S+)/.exec(run.out)?.[1];
      expect(config).toBeDefined();
      expect(existsSync(config!)).toBe(false);
    }
  }, 60_000);

  it('explains exit 3 with the failures the summary showed, and never calls them "not backed up yet"', async () => {
    const r = await runDemo(tempDir());
    expect(r.code, r.out).toBe(0);
    const failed = Number(/Failed\s+(\d+) \(by reason\)/.exec(r.out)?.[1]);
    const permission = Number(/(\d+) {2}\w+ permission/.exec(r.out)?.[1] ?? 0);
    const notFound = Number(/(\d+) {2}\w+ not_found/.exec(r.out)?.[1] ?? 0);
    expect(permission + notFound).toBe(failed);
    const said = /the fake tenant holds (.*?) on purpose/s.exec(r.out)?.[1].replace(/\s+/g, ' ');
    if (permission) expect(said).toContain(`${permission} file`);
    if (notFound) expect(said).toMatch(new RegExp(`${notFound} files? or documents? deleted`));
    expect(r.out).not.toMatch(/a few forbidden and deleted/);
    expect(r.out).not.toMatch(/not backed up yet/);
    expect(r.out).toMatch(/status --output-dir demo-backup/);
  }, 60_000);

  it('leaves a ./demo-backup it did not write alone', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'demo-backup'));
    writeFileSync(join(dir, 'demo-backup', 'mine.txt'), 'keep me');
    const r = await runDemo(dir);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/exists and is not a demo backup/);
    expect(existsSync(join(dir, 'demo-backup', 'mine.txt'))).toBe(true);
  });
});
