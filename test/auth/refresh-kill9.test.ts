import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLogin, tempPathOf } from '../../src/auth/token-file.js';
import type { RefreshStep } from '../../src/auth/user-token.js';
import { jsonLines, runCli, spawnCli, tempDir } from '../cli/helpers.js';
import { hashTree } from '../reliability/harness.js';
import { seedLogin, startUserWorld, type UserWorld, writeUserConfig } from './helpers.js';

let world: UserWorld | undefined;
afterEach(async () => {
  await world?.fake.close();
  world = undefined;
});

/** Steps after which Feishu has rotated the pair and our save is complete enough to find it. */
const AFTER_SAVE: RefreshStep[] = ['temp-written', 'temp-synced', 'renamed', 'dir-synced'];
/** Steps before the exchange: Feishu still holds the old pair valid. */
const BEFORE_EXCHANGE: RefreshStep[] = ['locked', 'before-exchange'];

describe('a refresh under kill -9', () => {
  it('at every step, the next run uses the old pair or the new one; only the window between Feishu rotating and our write asks for a new login', async () => {
    world = await startUserWorld();
    const dir = tempDir();
    mkdirSync(join(dir, 'backup'), { recursive: true });
    const login = join(dir, 'backup', 'inventory.sqlite.login.json');
    seedLogin(world.fake, login);
    const config = writeUserConfig(dir, world.fake);
    expect((await runCli(['backup', '--config', config])).code).toBe(0);
    const media = hashTree(join(dir, 'backup'), 'media');
    expect(media.size).toBe(2);

    for (const step of [...BEFORE_EXCHANGE, 'after-exchange', ...AFTER_SAVE] as RefreshStep[]) {
      // The access token is spent: the next run starts with a refresh.
      world.fake.users.expireAccess();
      const before = readLogin(login)!;
      const rotationsBefore = world.fake.users.rotations;
      const killed = await runCli(['backup', '--config', config], {
        env: { FEISHU_FAILPOINT: `refresh:${step}` },
      });
      expect(killed.signal, step).toBe('SIGKILL');
      const exchanged = world.fake.users.rotations > rotationsBefore;
      expect(exchanged, step).toBe(!BEFORE_EXCHANGE.includes(step));

      const next = await runCli(['backup', '--config', config]);
      if (step === 'after-exchange') {
        // The one window no local write can close: Feishu rotated, the process died before saving.
        expect(next.code, step).toBe(2);
        expect(next.stderr).toMatch(/already used \(code 20073\)/);
        expect(next.stderr).toMatch(/feishu-backup login/);
        expect(readLogin(login)!.refreshToken).toBe(before.refreshToken);
        // Sign in again (what the message asks) and go on with the next step.
        seedLogin(world.fake, login);
      } else {
        expect(next.code, `${step}: ${next.stderr}`).toBe(0);
        const after = readLogin(login)!;
        if (exchanged) expect(after.refreshToken, step).not.toBe(before.refreshToken);
        expect(existsSync(tempPathOf(login)), step).toBe(false);
      }
      // Whatever happened, the backup itself is intact.
      expect(hashTree(join(dir, 'backup'), 'media'), step).toEqual(media);
    }
    // No refresh token was ever spent twice, except the one the window lost.
    const reused = world.fake.requestsTo('oauth.token').filter((r) => r.status !== 200);
    expect(reused).toHaveLength(1);
    // Sixteen CLI runs: seconds each on a loaded machine.
  }, 180_000);

  it('two processes refreshing at once: one rotates, the other waits for it and uses the new pair', async () => {
    world = await startUserWorld();
    const dir = tempDir();
    mkdirSync(join(dir, 'backup'), { recursive: true });
    const login = join(dir, 'backup', 'inventory.sqlite.login.json');
    seedLogin(world.fake, login, { accessExpired: true });
    const config = writeUserConfig(dir, world.fake);
    const hold = world.fake.holdRefreshes();
    const a = spawnCli(['backup', '--json', '--config', config]);
    await hold.arrived;
    // `init --check` does not take the inventory lock; it refreshes through the login file's lock.
    const b = spawnCli(['init', '--check', '--json', '--config', config]);
    await b.waitFor(/"event":"auth\.refresh\.wait"/);
    hold.release();
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stdout).toBe(0);
    expect(world.fake.users.rotations).toBe(1);
    expect(world.fake.requestsTo('oauth.token').map((r) => r.status)).toEqual([200]);
    const saved = readLogin(login)!;
    const used = new Set(
      world.fake.requests
        .filter((r) => r.route && !r.route.startsWith('oauth.'))
        .map((r) => String(r.headers.authorization)),
    );
    expect(used).toEqual(new Set([`Bearer ${saved.accessToken}`]));
    expect(jsonLines(rb.stdout).some((e) => e.event === 'init.check')).toBe(true);
    expect(readFileSync(login, 'utf8')).not.toContain('"version": 2');
  });
});
