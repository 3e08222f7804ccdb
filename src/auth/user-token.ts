import { FeishuError } from '../feishu/errors.js';
import { waitBeforeRetry } from '../feishu/retry-step.js';
import { SingleFlight, type TokenCallOptions } from '../feishu/token-source.js';
import { acquireLock, LockHeldError, type RunLock } from '../inventory/lock.js';
import { LoginError } from './errors.js';
import { needsRefresh } from './expiry.js';
import { loginLockPath } from './store.js';
import { grantOf, postToken } from './token-endpoint.js';
import { readLogin, recoverTemp, type SaveStep, type StoredLogin, saveLogin } from './token-file.js';

/** The steps of a refresh, for failpoints (kill -9 tests) and debug logs. */
export type RefreshStep = 'locked' | 'before-exchange' | 'after-exchange' | SaveStep;

export interface UserTokenOptions extends TokenCallOptions {
  /** The login file (0600), one per config. */
  file: string;
  /** Runs after each step of a refresh. */
  onStep?: ((step: RefreshStep) => void) | undefined;
  /** Told when another process holds the refresh lock and this one waits for it. */
  onLockWait?: (() => void) | undefined;
  /** Told every token value this source holds (loaded or refreshed), so output can mask them. */
  onSecrets?: ((...values: (string | undefined)[]) => void) | undefined;
  /** How long to wait for another process's refresh. @default 60000 */
  lockTimeoutMs?: number;
}

/**
 * The signed-in user's access token, refreshed the rotation-safe way: a refresh token works once
 * (https://open.feishu.cn/document/authentication-management/access-token/refresh-user-access-token),
 * so a refresh takes the login file's lock (the run already holds the inventory lock), re-reads the
 * file (another process may have refreshed: then its pair is used, no second refresh), exchanges,
 * and saves the new pair durably before the new access token is used.
 */
export class UserToken {
  readonly #o: UserTokenOptions;
  #login: StoredLogin | undefined;
  readonly #refreshing = new SingleFlight();
  /** An access token the server refused: never adopted from the file again. */
  #rejected: string | undefined;

  constructor(options: UserTokenOptions) {
    this.#o = options;
  }

  /** The login as last read or written (for `status`, the summary and the inventory's identity). */
  get login(): StoredLogin | undefined {
    return this.#login;
  }

  async get(): Promise<string> {
    this.#login ??= this.#load();
    const login = this.#login;
    if (!needsRefresh(login, this.#o.clock.now())) return login.accessToken;
    return this.#refreshing.run(() => this.#refreshUnderLock());
  }

  /** The server refused `token` (99991668/99991677): refresh before the next call. */
  invalidate(token: string): void {
    this.#rejected = token;
    if (this.#login?.accessToken === token) this.#login = { ...this.#login, accessExpiresAt: 0 };
  }

  #load(): StoredLogin {
    const login = readLogin(this.#o.file);
    if (!login) {
      throw new LoginError(
        'not_signed_in',
        `No Feishu login for this config (${this.#o.file}); the config says "auth": "user".`,
        'Run `feishu-backup login --config <file>` once on this machine, then run the backup again.',
      );
    }
    this.#checkApp(login);
    this.#o.onSecrets?.(login.accessToken, login.refreshToken);
    return login;
  }

  #checkApp(login: StoredLogin): void {
    if (login.appId !== this.#o.appId) {
      throw new LoginError(
        'app_mismatch',
        `The saved login belongs to app ${login.appId}, not to this config's app ${this.#o.appId}.`,
      );
    }
  }

  async #refreshUnderLock(): Promise<string> {
    const lock = await this.#lock();
    try {
      this.#o.onStep?.('locked');
      // A run killed between writing the new pair and renaming it left the newest pair in the temp file.
      recoverTemp(this.#o.file);
      const fresh = this.#load();
      const now = this.#o.clock.now();
      if (!needsRefresh(fresh, now) && fresh.accessToken !== this.#rejected) {
        // Another process refreshed while we waited for the lock: its pair is ours too.
        this.#login = fresh;
        return fresh.accessToken;
      }
      if (!fresh.refreshToken || (fresh.refreshExpiresAt ?? 0) <= now) {
        throw new LoginError(
          'expired',
          fresh.refreshToken
            ? `The Feishu login of ${fresh.name ?? 'the user'} expired at ${new Date(fresh.refreshExpiresAt ?? 0).toISOString()}: no run refreshed it within its 7 days.`
            : 'The Feishu login has no refresh token (was offline_access granted?) and its access token expired.',
        );
      }
      const next = await this.#exchange(fresh, fresh.refreshToken);
      this.#o.onSecrets?.(next.accessToken, next.refreshToken);
      saveLogin(this.#o.file, next, this.#o.onStep);
      this.#login = next;
      return next.accessToken;
    } finally {
      lock.release();
    }
  }

  async #exchange(fresh: StoredLogin, refreshToken: string): Promise<StoredLogin> {
    const { baseUrl, appId, appSecret, clock } = this.#o;
    const operation = 'POST /open-apis/authen/v2/oauth/token (refresh_token)';
    for (let attempt = 1; ; attempt++) {
      await this.#o.pace('auth');
      this.#o.onStep?.('before-exchange');
      let error: FeishuError;
      try {
        const answer = await postToken(baseUrl, {
          grant_type: 'refresh_token',
          client_id: appId,
          client_secret: appSecret,
          refresh_token: refreshToken,
        });
        // From here Feishu may have rotated the pair: only our save below keeps the new one.
        this.#o.onStep?.('after-exchange');
        const grant = grantOf(answer, operation);
        const now = clock.now();
        const next: StoredLogin = {
          ...fresh,
          accessToken: grant.accessToken,
          accessExpiresAt: now + grant.expiresIn * 1000,
          scope: grant.scope || fresh.scope,
          updatedAt: now,
        };
        if (grant.refreshToken) {
          next.refreshToken = grant.refreshToken;
          next.refreshExpiresAt = now + (grant.refreshExpiresIn ?? 604_800) * 1000;
        } else {
          delete next.refreshToken;
          delete next.refreshExpiresAt;
        }
        return next;
      } catch (e) {
        if (!(e instanceof FeishuError)) throw e;
        error = e;
      }
      await waitBeforeRetry(error, attempt, {
        bucket: 'auth',
        operation,
        maxRetries: this.#o.maxRetries,
        random: this.#o.random,
        clock,
        onRetry: this.#o.onRetry,
      });
    }
  }

  /** The login file's lock; waits (polling) while a live process holds it. */
  async #lock(): Promise<RunLock> {
    const deadline = Date.now() + (this.#o.lockTimeoutMs ?? 60_000);
    let told = false;
    for (;;) {
      try {
        return acquireLock(loginLockPath(this.#o.file), 'refresh', new Date());
      } catch (e) {
        if (!(e instanceof LockHeldError) || Date.now() > deadline) throw e;
      }
      if (!told) this.#o.onLockWait?.();
      told = true;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
