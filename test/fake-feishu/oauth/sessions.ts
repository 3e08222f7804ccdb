import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../../src/limits/clock.js';

/**
 * The user side of the fake's OAuth server, as the official pages describe it
 * (https://open.feishu.cn/document/authentication-management/access-token/get-user-access-token and
 * .../refresh-user-access-token): codes valid 5 min and single use, bound to the PKCE challenge and
 * redirect URI; refresh tokens single use, rotated on every refresh (reuse: 20073), 7 days by default;
 * access tokens 2 h, the old one with a minute of grace after a refresh; revocation; the device flow.
 */
export interface IssuedCode {
  challenge: string;
  method: string;
  redirectUri: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

interface RefreshState {
  expiresAt: number;
  used: boolean;
  revoked: boolean;
  scope: string;
  /** The access token issued with it: rotated out (grace) when this one is used. */
  accessToken: string;
}

export interface DeviceGrant {
  deviceCode: string;
  userCode: string;
  scope: string;
  expiresAt: number;
  intervalMs: number;
  lastPollAt: number | undefined;
  state: 'pending' | 'approved' | 'denied';
}

export type AccessCheck = 'ok' | 'invalid' | 'expired';

export class UserSessions {
  /** What the user answers on the consent page. */
  consent: 'approve' | 'deny' = 'approve';
  accessTtlSeconds = 7200;
  refreshTtlSeconds = 604_800;
  /** Whether `/oauth/v1/device_authorization` exists (it is not in the public docs). */
  deviceFlow = true;
  /** Seconds between device polls the server asks for. */
  deviceInterval = 5;
  /** Seconds between polls it enforces (slow_down when closer); @default deviceInterval */
  deviceEnforcedInterval: number | undefined;
  readonly codes = new Map<string, IssuedCode>();
  readonly devices = new Map<string, DeviceGrant>();
  readonly #access = new Map<string, { expiresAt: number; revoked: boolean }>();
  readonly #refresh = new Map<string, RefreshState>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  issueCode(challenge: string, method: string, redirectUri: string, scope: string): string {
    const code = randomBytes(12).toString('hex');
    this.codes.set(code, {
      challenge,
      method,
      redirectUri,
      scope,
      expiresAt: this.#clock.now() + 5 * 60_000,
      used: false,
    });
    return code;
  }

  /** A fresh pair; `offline_access` in the scope brings a refresh token. */
  issuePair(scope: string): Record<string, unknown> {
    const now = this.#clock.now();
    const access = `u-fake${randomBytes(20).toString('hex')}`;
    this.#access.set(access, { expiresAt: now + this.accessTtlSeconds * 1000, revoked: false });
    const out: Record<string, unknown> = {
      code: 0,
      access_token: access,
      expires_in: this.accessTtlSeconds,
      token_type: 'Bearer',
      scope,
    };
    if (scope.split(' ').includes('offline_access')) {
      const refresh = `r-fake${randomBytes(20).toString('hex')}`;
      this.#refresh.set(refresh, {
        expiresAt: now + this.refreshTtlSeconds * 1000,
        used: false,
        revoked: false,
        scope,
        accessToken: access,
      });
      out.refresh_token = refresh;
      out.refresh_token_expires_in = this.refreshTtlSeconds;
    }
    return out;
  }

  /** Rotates a refresh token: a new pair, or the documented error code. */
  refresh(token: string): { pair: Record<string, unknown> } | { code: number; error: string } {
    const state = this.#refresh.get(token);
    const now = this.#clock.now();
    if (!state) return { code: 20026, error: 'invalid_grant' };
    if (state.revoked) return { code: 20064, error: 'invalid_grant' };
    if (state.used) return { code: 20073, error: 'invalid_grant' };
    if (state.expiresAt <= now) return { code: 20037, error: 'invalid_grant' };
    state.used = true;
    const old = this.#access.get(state.accessToken);
    // "user_access_token 会有一分钟的豁免时间": the old access token works one more minute.
    if (old) old.expiresAt = Math.min(old.expiresAt, now + 60_000);
    return { pair: this.issuePair(state.scope) };
  }

  checkAccess(token: string): AccessCheck {
    const state = this.#access.get(token);
    if (!state || state.revoked) return 'invalid';
    return state.expiresAt <= this.#clock.now() ? 'expired' : 'ok';
  }

  /** The user (or an admin) revokes the app's access: every token dies. */
  revokeAll(): void {
    for (const s of this.#access.values()) s.revoked = true;
    for (const s of this.#refresh.values()) s.revoked = true;
  }

  /** Every access token expires now (as if 2 h passed). */
  expireAccess(): void {
    const now = this.#clock.now();
    for (const s of this.#access.values()) s.expiresAt = Math.min(s.expiresAt, now);
  }

  /** Every refresh token expires now (as if 7 days passed without a run). */
  expireRefresh(): void {
    const now = this.#clock.now();
    for (const s of this.#refresh.values()) s.expiresAt = Math.min(s.expiresAt, now);
  }

  /** How many refresh tokens were ever issued and used (rotations). */
  get rotations(): number {
    return [...this.#refresh.values()].filter((s) => s.used).length;
  }

  startDevice(scope: string): DeviceGrant {
    const grant: DeviceGrant = {
      deviceCode: randomBytes(16).toString('hex'),
      userCode: randomBytes(4).toString('hex').toUpperCase(),
      scope,
      expiresAt: this.#clock.now() + 600_000,
      intervalMs: (this.deviceEnforcedInterval ?? this.deviceInterval) * 1000,
      lastPollAt: undefined,
      state: 'pending',
    };
    this.devices.set(grant.deviceCode, grant);
    return grant;
  }

  /** The user enters `userCode` on the verification page and answers. */
  answerDevice(userCode: string, answer: 'approved' | 'denied'): void {
    const grant = [...this.devices.values()].find((d) => d.userCode === userCode);
    if (!grant) throw new Error(`no device grant with user code ${userCode}`);
    grant.state = answer;
  }
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
