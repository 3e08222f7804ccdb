import { afterEach, describe, expect, it } from 'vitest';
import { loginWithDevice } from '../../src/auth/device-flow.js';
import { LoginError } from '../../src/auth/errors.js';
import type { Clock } from '../../src/limits/clock.js';
import { addUser, emptyTenant, type FakeFeishu, startFakeFeishu } from '../fake-feishu/index.js';

/** A clock whose sleeps pass at once, moving time on; `onSleep` lets the test act between polls. */
class SteppingClock implements Clock {
  #now = Date.UTC(2026, 0, 1);
  sleeps: number[] = [];
  onSleep: ((n: number) => void) | undefined;
  now(): number {
    return this.#now;
  }
  async sleep(ms: number): Promise<void> {
    this.#now += ms;
    this.sleeps.push(ms);
    this.onSleep?.(this.sleeps.length);
  }
}

let fake: FakeFeishu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(clock: Clock): Promise<FakeFeishu> {
  const t = emptyTenant({ seed: 5 });
  addUser(t);
  fake = await startFakeFeishu({ tenant: t, clock });
  return fake;
}

const app = (f: FakeFeishu) => ({ baseUrl: f.url, appId: f.appId, appSecret: f.appSecret });

describe('login --device', () => {
  it('polls while authorization is pending, then gets the pair', async () => {
    const clock = new SteppingClock();
    const f = await start(clock);
    let userCode = '';
    clock.onSleep = (n) => {
      if (n === 3) f.users.answerDevice(userCode, 'approved');
    };
    const grant = await loginWithDevice(app(f), {
      scopes: ['drive:drive:readonly', 'offline_access'],
      clock,
      onCode: (c) => {
        userCode = c.userCode;
        expect(c.verificationUri).toContain(c.userCode);
      },
    });
    expect(grant.accessToken).toMatch(/^u-fake/);
    expect(grant.refreshToken).toMatch(/^r-fake/);
    const polls = f.requestsTo('oauth.token');
    expect(polls).toHaveLength(3);
    expect(clock.sleeps).toEqual([5000, 5000, 5000]);
    // The device endpoint was called with HTTP Basic app credentials, as the official CLI does.
    expect(f.requestsTo('oauth.device')[0]!.headers.authorization).toMatch(/^Basic /);
  });

  it('adds 5 s to its interval on slow_down', async () => {
    const clock = new SteppingClock();
    const f = await start(clock);
    f.users.deviceInterval = 1;
    f.users.deviceEnforcedInterval = 3;
    let userCode = '';
    clock.onSleep = (n) => {
      if (n === 3) f.users.answerDevice(userCode, 'approved');
    };
    await loginWithDevice(app(f), {
      scopes: ['offline_access'],
      clock,
      onCode: (c) => {
        userCode = c.userCode;
      },
    });
    // 1 s (pending, the first poll), 1 s (slow_down: too soon), then 6 s.
    expect(clock.sleeps).toEqual([1000, 1000, 6000]);
  });

  it('ends with device_expired when nobody enters the code in time', async () => {
    const clock = new SteppingClock();
    const f = await start(clock);
    const e = await loginWithDevice(app(f), {
      scopes: ['offline_access'],
      clock,
      onCode: () => undefined,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LoginError);
    expect((e as LoginError).reason).toBe('device_expired');
    // 600 s at 5 s a poll: it stopped at the deadline, not before, not long after.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(600_000);
  });

  it('ends with denied when the user refuses', async () => {
    const clock = new SteppingClock();
    const f = await start(clock);
    let userCode = '';
    clock.onSleep = () => f.users.answerDevice(userCode, 'denied');
    const e = await loginWithDevice(app(f), {
      scopes: ['offline_access'],
      clock,
      onCode: (c) => {
        userCode = c.userCode;
      },
    }).catch((x: unknown) => x);
    expect((e as LoginError).reason).toBe('denied');
  });

  it('falls back with a clear message when the device endpoint answers 404', async () => {
    const clock = new SteppingClock();
    const f = await start(clock);
    f.users.deviceFlow = false;
    const e = await loginWithDevice(app(f), {
      scopes: ['offline_access'],
      clock,
      onCode: () => undefined,
    }).catch((x: unknown) => x);
    expect((e as LoginError).reason).toBe('device_unavailable');
    expect((e as LoginError).message).toMatch(/404.*not in the public docs/);
    expect((e as LoginError).fix).toMatch(/browser flow/);
    expect(f.requestsTo('oauth.token')).toHaveLength(0);
  });
});
