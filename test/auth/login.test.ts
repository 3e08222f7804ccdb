import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { s256 } from '../../src/auth/pkce.js';
import { readLogin } from '../../src/auth/token-file.js';
import { jsonLines, spawnCli, tempDir } from '../cli/helpers.js';
import { startUserWorld, type UserWorld, writeUserConfig } from './helpers.js';

let world: UserWorld | undefined;
afterEach(async () => {
  await world?.fake.close();
  world = undefined;
});

/** A port free right now on 127.0.0.1 (listened on, then closed). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function setup(): { dir: string; config: string; login: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'backup'), { recursive: true });
  return {
    dir,
    config: writeUserConfig(dir, world!.fake),
    login: join(dir, 'backup', 'inventory.sqlite.login.json'),
  };
}

/** Starts `login`, waits for the authorize URL it prints, returns both. */
async function startLogin(config: string, port: number) {
  const cli = spawnCli(['login', '--no-browser', '--json', '--port', String(port), '--config', config]);
  await cli.waitFor(/"event":"auth.authorize"/);
  const event = jsonLines(cli.stdout).find((e) => e.event === 'auth.authorize')!;
  return { cli, url: new URL(String(event.url)) };
}

describe('feishu-backup login', () => {
  it('signs in with the code flow and PKCE (S256), saving the login owner-only', async () => {
    world = await startUserWorld();
    const { config, login } = setup();
    const port = await freePort();
    const { cli, url } = await startLogin(config, port);
    expect(url.pathname).toBe('/open-apis/authen/v1/authorize');
    expect(url.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')!.split(' ')).toContain('offline_access');
    // The browser after consent: the fake redirects to the loopback callback with code and state.
    const page = await fetch(url, { redirect: 'follow' });
    expect(await page.text()).toContain('signed in');
    const r = await cli.done;
    expect(r.code).toBe(0);
    const saved = readLogin(login)!;
    expect(saved.name).toBe('Li Lei');
    expect(saved.refreshToken).toMatch(/^r-fake/);
    expect(statSync(login).mode & 0o777).toBe(0o600);
    // The code was exchanged once, bound to the challenge the authorize URL carried.
    const [code] = [...world.fake.users.codes.values()];
    expect(code!.used).toBe(true);
    expect(code!.challenge).toBe(url.searchParams.get('code_challenge'));
    expect(world.fake.requestsTo('oauth.token')).toHaveLength(1);
    expect(r.stdout).not.toContain(saved.accessToken);
  });

  it('refuses a callback whose state does not match, saving nothing', async () => {
    world = await startUserWorld();
    const { config, login } = setup();
    const { cli, url } = await startLogin(config, await freePort());
    const redirect = await fetch(url, { redirect: 'manual' });
    const forged = new URL(redirect.headers.get('location')!);
    forged.searchParams.set('state', 'not-the-state-we-sent');
    const page = await fetch(forged);
    expect(page.status).toBe(400);
    const r = await cli.done;
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/different `state`/);
    expect(existsSync(login)).toBe(false);
    expect(world.fake.requestsTo('oauth.token')).toHaveLength(0);
  });

  it('ends with exit 2 and a fix when the user denies consent', async () => {
    world = await startUserWorld();
    world.fake.users.consent = 'deny';
    const { config, login } = setup();
    const { cli, url } = await startLogin(config, await freePort());
    await fetch(url, { redirect: 'follow' });
    const r = await cli.done;
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/not allowed \(access_denied\)/);
    expect(r.stdout).toMatch(/choose Authorize/);
    expect(existsSync(login)).toBe(false);
  });

  it('names the fix when the redirect port is in use', async () => {
    world = await startUserWorld();
    const { config, login } = setup();
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    try {
      const cli = spawnCli(['login', '--no-browser', '--port', String(port), '--config', config]);
      const r = await cli.done;
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Port ${port} on 127.0.0.1 is in use`);
      expect(r.stderr).toMatch(/--port <n>/);
      expect(existsSync(login)).toBe(false);
      expect(world.fake.requests).toHaveLength(0);
    } finally {
      await new Promise<void>((r) => busy.close(() => r()));
    }
  });

  it('PKCE is enforced by the fake: a wrong verifier gets 20049', async () => {
    world = await startUserWorld();
    const code = world.fake.users.issueCode(
      s256('right'),
      'S256',
      'http://127.0.0.1:1/callback',
      'offline_access',
    );
    const res = await fetch(`${world.fake.url}/open-apis/authen/v2/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        client_id: world.fake.appId,
        client_secret: world.fake.appSecret,
        code,
        redirect_uri: 'http://127.0.0.1:1/callback',
        code_verifier: 'wrong',
      }),
    });
    expect(((await res.json()) as { code: number }).code).toBe(20049);
  });
});
