import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeFeishu } from '../fake-feishu/index.js';
import { makeHealthy, runCli, startTenant, tempDir } from './helpers.js';

let fake: FakeFeishu | undefined;

/** What a newcomer does after `init`: put real values in the file `init` wrote, keep the rest. */
function fillIn(dir: string, f: FakeFeishu, changes: Record<string, unknown> = {}): void {
  const file = join(dir, 'feishu-backup.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  Object.assign(config, {
    appId: f.appId,
    baseUrl: f.url,
    roots: [{ type: 'folder', token: f.tenant.rootFolderToken }],
    limits: { downloadQps: 1000 },
    ...changes,
  });
  writeFileSync(file, JSON.stringify(config, null, 2));
}

describe('from init to the first backup', () => {
  it('reads the ./feishu-backup.json plain `init` wrote, with no --config', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const dir = tempDir();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    fillIn(dir, fake);
    const r = await runCli(['backup'], { cwd: dir, env: { FEISHU_APP_SECRET: fake.appSecret } });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'backup', 'inventory.sqlite'))).toBe(true);
    const status = await runCli(['status'], { cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(join(dir, 'backup', 'inventory.sqlite'));
  });

  it('says which config file it read, or that it read none, when keys are missing', async () => {
    const dir = tempDir();
    const none = await runCli(['backup'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no config file was read: none given with --config/);
    expect(none.stderr).toMatch(/appId: missing/);
    writeFileSync(join(dir, 'feishu-backup.json'), '{"outputDir": "./b"}');
    const some = await runCli(['backup'], { cwd: dir });
    expect(some.code).toBe(2);
    expect(some.stderr).toContain(`The configuration in ${join(dir, 'feishu-backup.json')} has`);
  });

  it('leaves database out of the written config, so editing outputDir moves the inventory too', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const dir = tempDir();
    await runCli(['init'], { cwd: dir });
    const written = JSON.parse(readFileSync(join(dir, 'feishu-backup.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(written).not.toHaveProperty('database');
    fillIn(dir, fake, { outputDir: './elsewhere' });
    const r = await runCli(['backup'], { cwd: dir, env: { FEISHU_APP_SECRET: fake.appSecret } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/outside the output folder/);
    const status = await runCli(['status', '--output-dir', join(dir, 'elsewhere')], { cwd: tempDir() });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Last runs\n\s+#1\s+backup/);
  });

  it('warns when the inventory sits outside the output folder', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const dir = tempDir();
    await runCli(['init'], { cwd: dir });
    fillIn(dir, fake, { database: './inventory.sqlite' });
    const r = await runCli(['backup'], { cwd: dir, env: { FEISHU_APP_SECRET: fake.appSecret } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/The inventory .*inventory\.sqlite is outside the output folder/);
    expect(r.stderr).toMatch(/Remove "database" from the config/);
  });

  it('refuses the example App ID and roots init wrote, saying to replace them, before any request', async () => {
    const dir = tempDir();
    await runCli(['init'], { cwd: dir });
    const r = await runCli(['backup'], { cwd: dir, env: { FEISHU_APP_SECRET: 'a-real-looking-secret' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/appId: "cli_a1b2c3d4e5f6" is the example written by init; replace the example/);
    expect(r.stderr).toMatch(/roots\[0\]: an example root written by init; replace the example roots/);
    expect(r.stderr).toMatch(/roots\[3\]: an example root/);
    // The real App ID from the environment wins over the example: only the roots are left to fix.
    const withId = await runCli(['init', '--check'], {
      cwd: dir,
      env: { FEISHU_APP_ID: 'cli_realapp1234', FEISHU_APP_SECRET: 'a-real-looking-secret' },
    });
    expect(withId.code).toBe(2);
    expect(withId.stderr).not.toMatch(/appId:/);
    expect(withId.stderr).toMatch(/replace the example roots/);
  });

  it('says "missing" for a missing secret instead of masking the word', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'feishu-backup.json'), '{"appId": "cli_realapp1234", "outputDir": "./b"}');
    const r = await runCli(['backup'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/appSecret: missing; set "appSecret"/);
    expect(r.stderr).not.toContain('[REDACTED]');
  });

  it('names the missing folder of init --out and how to fix it, not a raw ENOENT', async () => {
    const dir = tempDir();
    const r = await runCli(['init', '--out', 'conf/backup.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cannot write conf\/backup\.json: the folder .*conf does not exist/);
    expect(r.stderr).toMatch(/fix: Create it first \(mkdir -p .*conf\)/);
    expect(r.stderr).not.toMatch(/ENOENT/);
  });
});
