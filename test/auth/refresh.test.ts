import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LoginError } from '../../src/auth/errors.js';
import { readLogin, saveLogin, tempPathOf } from '../../src/auth/token-file.js';
import { FeishuClient } from '../../src/feishu/client.js';
import { systemClock } from '../../src/limits/clock.js';
import { seedLogin, startUserWorld, type UserWorld } from './helpers.js';

let world: UserWorld | undefined;
afterEach(async () => {
  await world?.fake.close();
  world = undefined;
});

function client(w: UserWorld, file: string): FeishuClient {
  return new FeishuClient({
    appId: w.fake.appId,
    appSecret: w.fake.appSecret,
    baseUrl: w.fake.url,
    clock: systemClock,
    userLogin: { file },
  });
}

const loginFile = (): string => join(mkdtempSync(join(tmpdir(), 'fb-login-')), 'inventory.sqlite.login.json');

describe('the user token', () => {
  it('refreshes an expired access token once, saves the rotated pair before using it', async () => {
    world = await startUserWorld();
    const file = loginFile();
    const old = seedLogin(world.fake, file, { accessExpired: true });
    const c = client(world, file);
    const [a, b] = await Promise.all([c.token(), c.token()]);
    expect(a).toBe(b);
    expect(a).not.toBe(old.accessToken);
    const saved = readLogin(file)!;
    expect(saved.accessToken).toBe(a);
    expect(saved.refreshToken).not.toBe(old.refreshToken);
    expect(existsSync(tempPathOf(file))).toBe(false);
    expect(world.fake.users.rotations).toBe(1);
    // A refresh token works once: reusing the old one is 20073.
    saveLogin(file, old);
    const e = await client(world, file)
      .token()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LoginError);
    expect((e as LoginError).message).toMatch(/20073/);
  });

  it('refreshes when less than a day of the refresh window is left, not before', async () => {
    world = await startUserWorld();
    const file = loginFile();
    const login = seedLogin(world.fake, file);
    saveLogin(file, { ...login, refreshExpiresAt: Date.now() + 25 * 3_600_000 });
    expect(await client(world, file).token()).toBe(login.accessToken);
    expect(world.fake.users.rotations).toBe(0);
    saveLogin(file, { ...login, refreshExpiresAt: Date.now() + 23 * 3_600_000 });
    const fresh = await client(world, file).token();
    expect(fresh).not.toBe(login.accessToken);
    expect(readLogin(file)!.refreshExpiresAt! - Date.now()).toBeGreaterThan(6 * 86_400_000);
  });

  it('a second holder of the login waits for the refresh lock, re-reads the file and uses the pair another refreshed', async () => {
    world = await startUserWorld();
    const file = loginFile();
    seedLogin(world.fake, file, { accessExpired: true });
    let waited!: () => void;
    const waiting = new Promise<void>((r) => {
      waited = r;
    });
    const first = client(world, file);
    const second = new FeishuClient({
      appId: world.fake.appId,
      appSecret: world.fake.appSecret,
      baseUrl: world.fake.url,
      userLogin: { file, onLockWait: () => waited() },
    });
    // The first refresh is held at Feishu, lock taken; the second read the same expired pair.
    const hold = world.fake.holdRefreshes();
    const firstToken = first.token();
    await hold.arrived;
    const secondToken = second.token();
    await waiting;
    hold.release();
    expect(await secondToken).toBe(await firstToken);
    expect(world.fake.users.rotations).toBe(1);
    expect(world.fake.requestsTo('oauth.token').map((r) => r.status)).toEqual([200]);
  });

  it('a user token the server calls expired (99991677) is refreshed and the call retried once', async () => {
    world = await startUserWorld();
    const file = loginFile();
    const login = seedLogin(world.fake, file);
    world.fake.users.expireAccess();
    const c = client(world, file);
    const data = await c.request<{ token: string }>('drive.list', {
      method: 'GET',
      url: '/open-apis/drive/explorer/v2/root_folder/meta',
    });
    expect(data.token).toBe(world.user.rootFolderToken);
    expect(readLogin(file)!.accessToken).not.toBe(login.accessToken);
    const statuses = world.fake.requestsTo('drive.root_meta').map((r) => r.status);
    expect(statuses).toEqual([400, 200]);
  });

  it('a revoked login ends the run with a LoginError naming `feishu-backup login`', async () => {
    world = await startUserWorld();
    const file = loginFile();
    seedLogin(world.fake, file);
    world.fake.users.revokeAll();
    const e = await client(world, file)
      .request('drive.list', { method: 'GET', url: '/open-apis/drive/explorer/v2/root_folder/meta' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LoginError);
    expect((e as LoginError).fix).toMatch(/feishu-backup login/);
  });
});
