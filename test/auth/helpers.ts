import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredLogin } from '../../src/auth/token-file.js';
import { saveLogin } from '../../src/auth/token-file.js';
import { tempDir } from '../cli/helpers.js';
import {
  addDocx,
  addMedia,
  addUser,
  block,
  emptyTenant,
  type FakeFeishu,
  type FakeUser,
  hideFromApp,
  type Media,
  startFakeFeishu,
  type Tenant,
} from '../fake-feishu/index.js';

export interface UserWorld {
  fake: FakeFeishu;
  user: FakeUser;
  /** Media inside a document of the user's My Space: the app cannot see either. */
  private: Media[];
  /** Media in a document of the tenant's root, visible to the app. */
  shared: Media;
}

/** A tenant with one person who can sign in, a private document in their My Space and a shared one. */
export async function startUserWorld(options: { tenant?: Tenant } = {}): Promise<UserWorld> {
  const t = options.tenant ?? emptyTenant({ seed: 13 });
  const user = addUser(t, { name: 'Li Lei' });
  const shared = addMedia(t, { name: 'shared.png', size: 3000 });
  addDocx(t, { title: 'Shared doc', content: [block.image(shared.token)] });
  const priv = [
    addMedia(t, { name: 'mine-1.png', size: 5000 }),
    addMedia(t, { name: 'mine-2.png', size: 7000 }),
  ];
  const doc = addDocx(t, {
    title: 'My private notes',
    content: priv.map((m) => block.image(m.token)),
    folder: user.rootFolderToken,
  });
  hideFromApp(t, doc.documentId, ...priv.map((m) => m.token));
  const fake = await startFakeFeishu({ tenant: t });
  return { fake, user, private: priv, shared };
}

/** A login as `login` would save it, made directly at the fake (no browser). */
export function seedLogin(
  fake: FakeFeishu,
  file: string,
  options: { accessExpired?: boolean; now?: number } = {},
): StoredLogin {
  const now = options.now ?? Date.now();
  const pair = fake.users.issuePair('drive:drive:readonly offline_access') as {
    access_token: string;
    refresh_token: string;
    expires_in: number;
    refresh_token_expires_in: number;
    scope: string;
  };
  if (options.accessExpired) fake.users.expireAccess();
  const login: StoredLogin = {
    version: 1,
    appId: fake.appId,
    baseUrl: fake.url,
    name: fake.tenant.user?.name ?? 'someone',
    openId: fake.tenant.user?.openId ?? 'ou_x',
    scope: pair.scope,
    accessToken: pair.access_token,
    accessExpiresAt: options.accessExpired ? now - 1000 : now + pair.expires_in * 1000,
    refreshToken: pair.refresh_token,
    refreshExpiresAt: now + pair.refresh_token_expires_in * 1000,
    signedInAt: now,
    updatedAt: now,
  };
  saveLogin(file, login);
  return login;
}

/** Writes a user-auth config for the fake; returns its path. */
export function writeUserConfig(dir: string, fake: FakeFeishu, extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'config.json');
  const config = {
    appId: fake.appId,
    appSecret: fake.appSecret,
    baseUrl: fake.url,
    auth: 'user',
    roots: [{ type: 'my-space' }],
    outputDir: './backup',
    limits: { downloadQps: 1000, rates: { 'drive.list': 'off', 'docx.blocks': 'off' } },
    ...extra,
  };
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return file;
}

/** Where a user-auth run in `dir` keeps its files: the output folder, the inventory and the login. */
export interface UserPlace {
  backup: string;
  database: string;
  login: string;
}

export function placeOf(dir: string): UserPlace {
  const backup = join(dir, 'backup');
  mkdirSync(backup, { recursive: true });
  const database = join(backup, 'inventory.sqlite');
  return { backup, database, login: `${database}.login.json` };
}

/** A fresh folder with the user signed in (`seedLogin`) where a run looks, and a user-auth config. */
export function signedIn(
  world: UserWorld,
  options: { accessExpired?: boolean } = {},
): { dir: string; p: UserPlace; login: StoredLogin; config: string } {
  const dir = tempDir();
  const p = placeOf(dir);
  const login = seedLogin(world.fake, p.login, options);
  return { dir, p, login, config: writeUserConfig(dir, world.fake) };
}
