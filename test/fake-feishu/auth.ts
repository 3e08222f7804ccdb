import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src/limits/clock.js';
import { type FakeRequest, fail, type JsonReply, type RouteContext } from './contract.js';

/**
 * Tenant access tokens as Feishu hands them out
 * (https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal):
 * at most 2 h; asking again with more than 30 min left returns the same token with its remaining
 * life, with less a new one while the old keeps working until it expires.
 */
export class TokenStore {
  ttlSeconds = 7200;
  readonly #clock: Clock;
  readonly #tokens = new Map<string, { expiresAt: number; revoked: boolean }>();
  #current: string | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  issue(): { token: string; expire: number } {
    const now = this.#clock.now();
    const cur = this.#current ? this.#tokens.get(this.#current) : undefined;
    if (this.#current && cur && !cur.revoked && cur.expiresAt - now > 30 * 60_000) {
      return { token: this.#current, expire: Math.floor((cur.expiresAt - now) / 1000) };
    }
    const token = `t-fake${randomBytes(16).toString('hex')}`;
    this.#tokens.set(token, { expiresAt: now + this.ttlSeconds * 1000, revoked: false });
    this.#current = token;
    return { token, expire: this.ttlSeconds };
  }

  /** 'missing' | 'invalid' | 'ok' for an `Authorization` header value. */
  check(header: string | undefined): 'missing' | 'invalid' | 'ok' {
    if (!header) return 'missing';
    const m = /^Bearer\s+(\S+)$/.exec(header);
    if (!m) return 'invalid';
    const state = this.#tokens.get(m[1]!);
    if (!state || state.revoked || state.expiresAt <= this.#clock.now()) return 'invalid';
    return 'ok';
  }

  /** Every issued token expires now (as if 2 h had passed for them). */
  expireAll(): void {
    const now = this.#clock.now();
    for (const state of this.#tokens.values()) state.expiresAt = Math.min(state.expiresAt, now);
  }

  /** Every issued token is revoked before its time (an app secret reset, a server-side purge). */
  invalidateAll(): void {
    for (const state of this.#tokens.values()) state.revoked = true;
  }
}

export const MISSING_TOKEN = 99991661;
export const INVALID_TOKEN = 99991663;

/** The gateway's answer when the Authorization header is absent or holds no valid tenant token. */
export function authFailure(kind: 'missing' | 'invalid'): JsonReply {
  return kind === 'missing'
    ? fail(
        400,
        MISSING_TOKEN,
        'Missing access token for authorization. Please make a request with token attached.',
      )
    : fail(
        400,
        INVALID_TOKEN,
        'Invalid access token for authorization. Please make a request with token attached.',
      );
}

/** POST /open-apis/auth/v3/tenant_access_token/internal */
export function tokenRoute(req: FakeRequest, ctx: RouteContext, store: TokenStore): JsonReply {
  const body = (req.body ?? {}) as { app_id?: unknown; app_secret?: unknown };
  if (body.app_id !== ctx.tenant.appId) return fail(400, 10003, 'invalid param: app_id not exist');
  if (body.app_secret !== ctx.tenant.appSecret) return fail(400, 10014, 'app secret invalid');
  const { token, expire } = store.issue();
  // This endpoint puts its fields at the top level, not under `data`.
  return { kind: 'json', status: 200, body: { code: 0, msg: 'ok', tenant_access_token: token, expire } };
}
