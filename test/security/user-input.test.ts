import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHealthy, runCli, startTenant, tempDir, writeConfig } from '../cli/helpers.js';
import type { FakeFeishu } from '../fake-feishu/index.js';

/**
 * Bad input from the user: one clear message each, the documented exit code, nothing written and no
 * request sent. (Wrong credentials: test/cli/backup.test.ts; every config problem listed at once:
 * test/cli/basics.test.ts and test/config/load-config.test.ts.)
 */
let fake: FakeFeishu | undefined;

/** Files in `dir` besides the config: what a refused run must not have created. */
function written(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f !== 'config.json')
    .sort();
}

async function refused(
  mutate: (dir: string, config: Record<string, unknown>) => Record<string, unknown> | string,
): Promise<{ code: number | null; stderr: string; stdout: string; dir: string }> {
  fake = await startTenant();
  const dir = tempDir();
  const file = writeConfig(dir, fake);
  const base = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(file, 'utf8'))) as Record<
    string,
    unknown
  >;
  const next = mutate(dir, base);
  writeFileSync(file, typeof next === 'string' ? next : JSON.stringify(next));
  chmodSync(file, 0o600);
  const before = written(dir);
  const r = await runCli(['backup', '--config', file]);
  expect(fake.requests, 'no request may be sent').toEqual([]);
  expect(written(dir), 'nothing may be written').toEqual(before);
  return { ...r, dir };
}

describe('bad input from the user', () => {
  it('a missing config file: exit 2, naming the file and what to pass', async () => {
    const dir = tempDir();
    const r = await runCli(['backup', '--config', join(dir, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.json does not exist; pass --config/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('malformed JSON: exit 2, saying JSON allows no comments or trailing commas', async () => {
    const r = await refused(() => '{"appId": "x",, // oops\n}');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON.*no comments or trailing commas/);
  });

  it('an unknown key: exit 2 with "did you mean"', async () => {
    const r = await refused((_, c) => {
      const { outputDir, ...rest } = c;
      return { ...rest, outputDri: outputDir };
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/outputDri: unknown key \(did you mean "outputDir"\?\)/);
  });

  it('a wrong value type: exit 2, naming the key and the fix, never echoing the value', async () => {
    const r = await refused((_, c) => ({ ...c, limits: { concurrency: 'many' }, appSecret: 12345 }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/limits\.concurrency: invalid; use a whole number from 1 to 64/);
    expect(r.stderr).toMatch(/appSecret: .*set "appSecret" in the config file/);
    expect(r.stderr).not.toMatch(/12345/);
  });

  it('a baseUrl that is not a URL: exit 2', async () => {
    const r = await refused((_, c) => ({ ...c, baseUrl: 'open feishu cn' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/baseUrl: "open feishu cn" is not a URL; use "feishu", "lark", or an https URL/);
  });

  it('an output directory that is a file: exit 2, saying so', async () => {
    const r = await refused((dir, c) => {
      writeFileSync(join(dir, 'occupied'), 'a file, not a folder');
      return { ...c, outputDir: './occupied' };
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/occupied is a file, not a directory\..*fix: Point outputDir/s);
  });

  it('an unreadable inventory (not SQLite): exit 1, naming the file, leaving it untouched', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const dir = tempDir();
    const file = writeConfig(dir, fake, { database: './inventory.sqlite' });
    const garbage = 'this is not a database '.repeat(100);
    writeFileSync(join(dir, 'inventory.sqlite'), garbage);
    const r = await runCli(['backup', '--config', file]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/inventory\.sqlite/);
    expect(r.stderr).toMatch(/Cannot use the inventory .*inventory\.sqlite: file is not a database/);
    expect(r.stderr).toMatch(/point --database at another file/);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'inventory.sqlite']);
    expect(fake.requests).toEqual([]);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'inventory.sqlite'), 'utf8')).toBe(garbage);
  });

  it('an inventory written by a newer schema: exit 1 with the fix, the file left as it was', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const file = writeConfig(dir, fake, { database: './inventory.sqlite' });
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(dir, 'inventory.sqlite'));
    db.pragma('user_version = 999');
    db.close();
    const r = await runCli(['backup', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/written by a newer feishu-backup \(schema 999.*Upgrade feishu-backup/);
    expect(fake.requests).toEqual([]);
    const again = new Database(join(dir, 'inventory.sqlite'), { readonly: true });
    expect(again.pragma('user_version', { simple: true })).toBe(999);
    expect(again.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({
      n: 0,
    });
    again.close();
  });
});
