import { describe, expect, it } from 'vitest';
import { loginErrorForCode } from '../../src/auth/errors.js';
import { DAY_MS, expiryWarning, needsRefresh } from '../../src/auth/expiry.js';
import type { StoredLogin } from '../../src/auth/token-file.js';
import { describeFailure } from '../../src/cli/errors.js';
import { classify, FeishuError } from '../../src/feishu/errors.js';

const NOW = Date.UTC(2026, 5, 1);
const login = (over: Partial<StoredLogin> = {}): StoredLogin => ({
  version: 1,
  appId: 'cli_x',
  baseUrl: 'https://open.feishu.cn',
  name: 'Li Lei',
  scope: 'offline_access',
  accessToken: 'u-a',
  accessExpiresAt: NOW + 2 * 3_600_000,
  refreshToken: 'r-a',
  refreshExpiresAt: NOW + 7 * DAY_MS,
  signedInAt: NOW - 10 * DAY_MS,
  updatedAt: NOW,
  ...over,
});

describe('login lifetime', () => {
  it('refreshes a spent access token, or when less than a day of the refresh window is left', () => {
    expect(needsRefresh(login(), NOW)).toBe(false);
    expect(needsRefresh(login({ accessExpiresAt: NOW + 60_000 }), NOW)).toBe(true);
    expect(needsRefresh(login({ refreshExpiresAt: NOW + DAY_MS + 1 }), NOW)).toBe(false);
    expect(needsRefresh(login({ refreshExpiresAt: NOW + DAY_MS - 1 }), NOW)).toBe(true);
  });

  it('warns two days before the login ends: the refresh window, or 365 days after consent', () => {
    expect(expiryWarning(login(), NOW)).toBeUndefined();
    expect(expiryWarning(login({ refreshExpiresAt: NOW + 47 * 3_600_000 }), NOW)).toMatch(
      /ends in about 47 h .*feishu-backup login/,
    );
    expect(expiryWarning(login({ signedInAt: NOW - 364 * DAY_MS }), NOW)).toMatch(/365 days/);
  });
});

describe('user-token error codes', () => {
  it('classifies each with a fix that names feishu-backup login (or the scope), and exits 2', () => {
    for (const code of [99991668, 99991677]) {
      const c = classify(400, code);
      expect(c.kind).toBe('auth');
      expect(c.fix).toMatch(/feishu-backup login/);
    }
    expect(classify(400, 99991679)).toMatchObject({ kind: 'credentials' });
    expect(classify(400, 99991679).fix).toMatch(/login.*scopes/);
    for (const code of [20026, 20037, 20064, 20073]) {
      const c = classify(400, code);
      expect(c.kind).toBe('credentials');
      expect(c.fix).toMatch(/feishu-backup login/);
      expect(describeFailure(new FeishuError('x', { httpStatus: 400, feishuCode: code })).exitCode).toBe(2);
      const ended = loginErrorForCode(code, 'msg')!;
      expect(describeFailure(ended)).toMatchObject({
        exitCode: 2,
        fix: expect.stringMatching(/feishu-backup login/),
      });
    }
  });
});
