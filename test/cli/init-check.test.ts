import { describe, expect, it } from 'vitest';
import type { FakeFeishu } from '../fake-feishu/index.js';
import { runCli, startTenant, tempDir, writeConfig } from './helpers.js';

let fake: FakeFeishu | undefined;

describe('init --check', () => {
  it('confirms working credentials and permissions', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const r = await runCli(['init', '--check', '--config', writeConfig(dir, fake)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok {3}app credentials/);
    expect(r.stdout).toMatch(/ok {3}list the drive \[drive:drive:readonly\]/);
    expect(r.stdout).not.toContain(fake.appSecret);
  });

  it('names the scope to enable when the app lacks one, and exits 2', async () => {
    fake = await startTenant();
    fake.inject({
      route: 'drive.list',
      fault: { kind: 'error', status: 400, code: 99991672, msg: 'app lacks scope' },
      times: 5,
    });
    const dir = tempDir();
    const r = await runCli(['init', '--check', '--config', writeConfig(dir, fake)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/FAIL list the drive/);
    expect(r.stdout).toMatch(/Enable the scope "drive:drive:readonly"/);
  });

  it('says the credentials are wrong without repeating them', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const wrong = 'not-the-secret-0123456789';
    const r = await runCli(['init', '--check', '--config', writeConfig(dir, fake, {}, false)], {
      env: { FEISHU_APP_SECRET: wrong },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/FAIL app credentials/);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });
});
