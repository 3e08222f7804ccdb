import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { readLogin } from '../../src/auth/token-file.js';
import { runCli, tempDir } from '../cli/helpers.js';
import { mediaContentKey, mediaSha256 } from '../fake-feishu/index.js';
import { hashTree } from '../reliability/harness.js';
import { placeOf, signedIn, startUserWorld, type UserWorld, writeUserConfig } from './helpers.js';

let world: UserWorld | undefined;
afterEach(async () => {
  await world?.fake.close();
  world = undefined;
});

describe('auth: user', () => {
  it('backs up My Space as the signed-in user: media the tenant token cannot see, every call with the user token', async () => {
    world = await startUserWorld();
    const { p, config } = signedIn(world);
    const r = await runCli(['backup', '--config', config]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const db = new Database(p.database, { readonly: true });
    const rows = db.prepare("SELECT file_token, status, path FROM media WHERE status = 'done'").all() as {
      file_token: string;
      path: string;
    }[];
    const seen = db.prepare('SELECT DISTINCT seen_as FROM documents').all() as { seen_as: string }[];
    db.close();
    expect(rows.map((m) => m.file_token).sort()).toEqual(world.private.map((m) => m.token).sort());
    for (const row of rows) {
      const media = world.fake.tenant.media.get(row.file_token)!;
      const sha = createHash('sha256')
        .update(readFileSync(join(p.backup, row.path)))
        .digest('hex');
      expect(sha).toBe(mediaSha256(world.fake.tenant.seed, mediaContentKey(media), media.size));
    }
    expect(seen).toEqual([{ seen_as: `user:${world.user.openId}` }]);
    // Downloads too: nothing reached Feishu with the app's token.
    const content = world.fake.requests.filter((q) => q.route && !q.route.startsWith('oauth.'));
    expect(content.length).toBeGreaterThan(3);
    expect(content.every((q) => String(q.headers.authorization).startsWith('Bearer u-'))).toBe(true);
    expect(world.fake.requestsTo('media.download').length).toBe(2);
    expect(world.fake.requestsTo('auth')).toHaveLength(0);
  });

  it('the same My Space folder with the tenant token is refused: nothing of it is backed up', async () => {
    world = await startUserWorld();
    const dir = tempDir();
    const p = placeOf(dir);
    const config = writeUserConfig(dir, world.fake, {
      auth: 'tenant',
      roots: [{ type: 'folder', token: world.user.rootFolderToken }],
    });
    const r = await runCli(['backup', '--config', config]);
    expect(r.code).not.toBe(0);
    const db = new Database(p.database, { readonly: true });
    const media = db.prepare('SELECT COUNT(*) AS n FROM media').get() as { n: number };
    const folder = db.prepare("SELECT status, error_kind FROM documents WHERE type = 'folder'").get();
    db.close();
    expect(media.n).toBe(0);
    expect(folder).toEqual({ status: 'error', error_kind: 'permission' });
    expect(world.fake.requestsTo('media.download')).toHaveLength(0);
  });

  it('refuses a my-space root without "auth": "user", naming the fix', async () => {
    world = await startUserWorld();
    const dir = tempDir();
    const config = writeUserConfig(dir, world.fake, { auth: 'tenant' });
    const r = await runCli(['backup', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"auth": "user"/);
    expect(world.fake.requests).toHaveLength(0);
  });

  it('an expired login exits 2 with "run feishu-backup login" and touches nothing already backed up', async () => {
    world = await startUserWorld();
    const { p, config } = signedIn(world);
    expect((await runCli(['backup', '--config', config])).code).toBe(0);
    const before = hashTree(p.backup, 'media');
    expect(before.size).toBe(2);
    const requests = world.fake.requests.length;
    // Seven days without a run: the access token and the refresh token have both expired.
    world.fake.users.expireAccess();
    world.fake.users.expireRefresh();
    const saved = readLogin(p.login)!;
    const { saveLogin } = await import('../../src/auth/token-file.js');
    saveLogin(p.login, {
      ...saved,
      accessExpiresAt: Date.now() - 1,
      refreshExpiresAt: Date.now() + 3_600_000,
    });
    const r = await runCli(['backup', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expired/);
    expect(r.stderr).toMatch(/run `feishu-backup login`/i);
    expect(hashTree(p.backup, 'media')).toEqual(before);
    // Only the refresh was tried: no listing, no download.
    const since = world.fake.requests.slice(requests).map((q) => q.route);
    expect(since).toEqual(['oauth.token']);
    const db = new Database(p.database, { readonly: true });
    const last = db.prepare('SELECT status, exit_code FROM runs ORDER BY id DESC LIMIT 1').get();
    const done = db.prepare("SELECT COUNT(*) AS n FROM media WHERE status = 'done'").get();
    db.close();
    expect(last).toEqual({ status: 'failed', exit_code: 2 });
    expect(done).toEqual({ n: 2 });
  });

  it('status shows who is signed in, the scopes and when the refresh token expires; logout forgets it', async () => {
    world = await startUserWorld();
    const { p, login, config } = signedIn(world);
    expect((await runCli(['backup', '--config', config])).code).toBe(0);
    const s = await runCli(['status', '--config', config]);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain(`Login      Li Lei (${world.user.openId}); refresh token expires 20`);
    expect(s.stdout).toMatch(/Scopes {5}drive:drive:readonly, offline_access/);
    expect(s.stdout).not.toContain(login.refreshToken!);
    expect(statSync(p.login).mode & 0o777).toBe(0o600);
    const out = await runCli(['logout', '--config', config]);
    expect(out.code).toBe(0);
    expect(existsSync(p.login)).toBe(false);
    const after = await runCli(['status', '--config', config]);
    expect(after.stdout).toContain('nobody is signed in');
  });

  it('warns in the run summary and status two days before the login ends; export says who saw each document', async () => {
    world = await startUserWorld();
    const { p, login, config } = signedIn(world);
    const { saveLogin } = await import('../../src/auth/token-file.js');
    // Consented 364 days ago: Feishu asks for a new consent at 365.
    saveLogin(p.login, { ...login, signedInAt: Date.now() - 364 * 86_400_000 });
    const r = await runCli(['backup', '--config', config]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warn: The Feishu login of Li Lei ends in about 2\d h .*365 days/);
    const s = await runCli(['status', '--config', config]);
    expect(s.stdout).toMatch(/warning: The Feishu login of Li Lei ends/);
    const e = await runCli(['export', '--format', 'json', '--config', config]);
    const rows = JSON.parse(e.stdout) as { sources: { seenAs: string }[] }[];
    expect(rows).toHaveLength(2);
    expect(rows.flatMap((row) => row.sources.map((src) => src.seenAs))).toEqual([
      `user:${world.user.openId}`,
      `user:${world.user.openId}`,
    ]);
  });

  it('never prints or stores the user tokens, old or refreshed, even with --json --verbose', async () => {
    world = await startUserWorld();
    const { p, login: old, config } = signedIn(world, { accessExpired: true });
    const r = await runCli(['backup', '--json', '--verbose', '--config', config]);
    expect(r.code).toBe(0);
    const fresh = readLogin(p.login)!;
    expect(fresh.accessToken).not.toBe(old.accessToken);
    const secrets = [old.accessToken, old.refreshToken!, fresh.accessToken, fresh.refreshToken!];
    const db = readFileSync(p.database);
    for (const secret of secrets) {
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(db.includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('a login revoked mid-run stops the run with exit 2: nothing is marked gone, nothing on disk changes', async () => {
    world = await startUserWorld();
    const { p, config } = signedIn(world);
    expect((await runCli(['backup', '--config', config])).code).toBe(0);
    const before = hashTree(p.backup, 'media');
    // The user is removed from the tenant: even a freshly refreshed token is refused (99991668).
    world.fake.inject({
      route: 'drive.list',
      fault: { kind: 'error', status: 400, code: 99991668 },
      times: 2,
    });
    const r = await runCli(['backup', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/feishu-backup login/);
    expect(hashTree(p.backup, 'media')).toEqual(before);
    const db = new Database(p.database, { readonly: true });
    const gone = db.prepare("SELECT COUNT(*) AS n FROM documents WHERE status = 'gone'").get();
    const done = db.prepare("SELECT COUNT(*) AS n FROM media WHERE status = 'done'").get();
    db.close();
    expect(gone).toEqual({ n: 0 });
    expect(done).toEqual({ n: 2 });
  });
});
