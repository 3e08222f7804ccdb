import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { FakeFeishu } from '../fake-feishu/index.js';
import { runCli, runRows, startTenant, tempDir, writeConfig } from './helpers.js';

let fake: FakeFeishu | undefined;

/** A loopback port nothing listens on: bound, then closed, so a connect is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('setup mistakes get one message with the cause and the fix', () => {
  it('a wrong App ID (10003): init --check names it and skips the scope advice', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const r = await runCli([
      'init',
      '--check',
      '--config',
      writeConfig(dir, fake, { appId: 'cli_wrong0000' }),
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/FAIL app credentials/);
    expect(r.stdout).toMatch(/fix: The App ID is not known to this Feishu\/Lark cloud: copy the App ID/);
    expect(r.stdout).not.toMatch(/Also enable/);
  });

  it('a wrong App Secret (10014): backup stops before the crawl with exit 2 and the fix', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake, {}, false);
    const r = await runCli(['backup', '--config', config], {
      env: { FEISHU_APP_SECRET: 'wrong-secret-123456' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: Feishu refused the app credentials of .* code 10014/);
    expect(r.stderr).toMatch(/fix: The App Secret does not match the App ID/);
    expect(r.stdout).not.toMatch(/document temporary/);
    expect(fake.requests.filter((q) => q.route !== 'auth')).toEqual([]);
    expect((await runRows(`${dir}/backup/inventory.sqlite`)).at(-1)).toEqual({
      command: 'backup',
      status: 'failed',
      exit_code: 2,
    });
  });

  it('a base URL that refuses connections: backup and init --check say so, with the fix', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake, { baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const r = await runCli(['backup', '--config', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: Cannot reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(r.stderr).toMatch(/fix: Nothing accepts connections at http:\/\/127\.0\.0\.1:\d+: check baseUrl/);
    const check = await runCli(['init', '--check', '--config', config]);
    expect(check.code).toBe(2);
    expect(check.stdout).toMatch(/fix: Nothing accepts connections at/);
    expect(check.stdout).not.toMatch(/Also enable/);
  });

  it('a base URL whose host does not resolve: the fix names DNS and baseUrl', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake, { baseUrl: 'https://open.no-such-host.invalid' });
    const r = await runCli(['backup', '--config', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /fix: The host of https:\/\/open\.no-such-host\.invalid cannot be found \(DNS\)/,
    );
  });
});
