import { AsyncLocalStorage } from 'node:async_hooks';
import type * as lark from '@larksuiteoapi/node-sdk';
import { LoginError } from '../auth/errors.js';
import { type RefreshStep, UserToken } from '../auth/user-token.js';
import { type Clock, systemClock } from '../limits/clock.js';
import { SlidingWindowLimiter } from '../limits/sliding-window.js';
import { FEISHU_BASE_URL } from './base-urls.js';
import { BUCKETS, type Bucket, DOCUMENTED_LIMITS, WINDOW_GUARD } from './buckets.js';
import { type Envelope, envelopeError } from './envelope.js';
import { type FeishuError, fromSdkError } from './errors.js';
import type { RetryEvent } from './retry-event.js';
import { waitBeforeRetry } from './retry-step.js';
import { createSdkClient, type RequestOptions } from './sdk-client.js';
import type { ShapeRecorder } from './shapes/recorder.js';
import { TenantToken } from './tenant-token.js';

export interface FeishuClientOptions {
  appId: string;
  appSecret: string;
  /** Base URL without a trailing slash. @default https://open.feishu.cn */
  baseUrl?: string;
  /** @default systemClock */
  clock?: Clock;
  /**
   * Requests per second per bucket, overriding its documented limit; `Infinity` turns a bucket's
   * pacing off (benchmarks).
   * @default each bucket at DOCUMENTED_LIMITS (per-minute limits paced as 60 s windows)
   */
  rates?: Partial<Record<Bucket, number>>;
  /** Retries of a rate-limited or temporary failure, per call. @default 6 */
  maxRetries?: number;
  /** @default Math.random */
  random?: () => number;
  /** Called on each retry, for logs and progress. Never receives a secret. */
  onRetry?: (event: RetryEvent) => void;
  /** `--record-shapes`: every answer's redacted shape, per bucket (src/feishu/shapes/). */
  shapes?: ShapeRecorder | undefined;

  /**
   * Act as a signed-in user (`auth: "user"`): every call, downloads included, carries the user
   * access token saved in this login file, refreshed as it nears expiry. Absent: the tenant token.
   */
  userLogin?: {
    file: string;
    onStep?: ((step: RefreshStep) => void) | undefined;
    onLockWait?: (() => void) | undefined;
    onSecrets?: ((...values: (string | undefined)[]) => void) | undefined;
  };
}

/** Where a client's access tokens come from. */
interface TokenSource {
  get(): Promise<string>;
  invalidate(token: string): void;
}

/** The bucket of the SDK call in flight, for the shape recorder's http observer. */
const bucketInFlight = new AsyncLocalStorage<Bucket>();

/**
 * The one door to Feishu: the official SDK for every JSON call, plus the tenant token, pacing per
 * bucket, retries that honour the server's reset hint, and one token refresh on 99991663.
 * Nothing else imports the SDK.
 */
export class FeishuClient {
  readonly baseUrl: string;
  readonly clock: Clock;
  /** Requests sent, per bucket (retries included). */
  readonly calls = new Map<Bucket, number>();
  /** Set while shapes are recorded (`--record-shapes`); the downloader records its answers here too. */
  readonly shapes: ShapeRecorder | undefined;
  readonly #appId: string;
  readonly #appSecret: string;
  readonly #limiters = new Map<Bucket, SlidingWindowLimiter>();
  readonly #perMinute = new Map<Bucket, SlidingWindowLimiter>();
  readonly #maxRetries: number;
  readonly #random: () => number;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly #tokens: TokenSource;
  /** The user token source when acting as a user. */
  readonly userToken: UserToken | undefined;
  #sdk: lark.Client | undefined;

  constructor(options: FeishuClientOptions) {
    if (!options.appId) throw new TypeError('Expected `appId` to be a non-empty string');
    if (!options.appSecret) throw new TypeError('Expected `appSecret` to be a non-empty string');
    this.baseUrl = (options.baseUrl ?? FEISHU_BASE_URL).replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
    this.#appId = options.appId;
    this.#appSecret = options.appSecret;
    this.#maxRetries = options.maxRetries ?? 6;
    this.#random = options.random ?? Math.random;
    this.#onRetry = options.onRetry;
    this.shapes = options.shapes;
    const common = {
      baseUrl: this.baseUrl,
      appId: this.#appId,
      appSecret: this.#appSecret,
      clock: this.clock,
      pace: (bucket: 'auth') => this.pace(bucket),
      maxRetries: this.#maxRetries,
      random: this.#random,
      onRetry: this.#onRetry,
    };
    if (options.userLogin) {
      this.userToken = new UserToken({
        ...common,
        file: options.userLogin.file,
        onStep: options.userLogin.onStep,
        onLockWait: options.userLogin.onLockWait,
        onSecrets: options.userLogin.onSecrets,
      });
      this.#tokens = this.userToken;
    } else {
      this.#tokens = new TenantToken({
        ...common,
        observe: options.shapes && ((answer) => options.shapes?.record('auth', answer)),
      });
    }
    for (const bucket of BUCKETS) {
      const rate = options.rates?.[bucket];
      const documented = DOCUMENTED_LIMITS[bucket];
      const documentedLimiter = (): SlidingWindowLimiter =>
        new SlidingWindowLimiter({
          limit: documented.limit,
          windowMs: documented.windowMs * WINDOW_GUARD,
          clock: this.clock,
        });
      if (rate === undefined) {
        this.#limiters.set(bucket, documentedLimiter());
      } else if (Number.isFinite(rate)) {
        this.#limiters.set(bucket, new SlidingWindowLimiter({ limit: rate, clock: this.clock }));
        // A per-second override does not lift a documented per-minute limit; `Infinity` turns both off.
        if (documented.windowMs > 1000) this.#perMinute.set(bucket, documentedLimiter());
      }
    }
  }

  /**
   * The official SDK client, loaded on first use: importing the SDK costs ~75 MiB of memory and a
   * second of start-up, which a download-only run (undici + the token call) never needs.
   */
  get sdk(): lark.Client {
    if (this.#sdk) return this.#sdk;
    const shapes = this.shapes;
    this.#sdk = createSdkClient({
      appId: this.#appId,
      appSecret: this.#appSecret,
      baseUrl: this.baseUrl,
      observe: shapes && ((answer) => shapes.record(bucketInFlight.getStore() ?? 'unknown', answer)),
    });
    return this.#sdk;
  }

  /** Who the calls act as: the app (tenant token) or the signed-in user. */
  get identity(): 'tenant' | 'user' {
    return this.userToken ? 'user' : 'tenant';
  }

  /** Who the calls act as, as the inventory records it: 'tenant' or 'user:<open_id>'. */
  get identityLabel(): string {
    const login = this.userToken?.login;
    if (!this.userToken) return 'tenant';
    return `user:${login?.openId ?? login?.name ?? 'unknown'}`;
  }

  /** The current access token (tenant, or the user's), fetched or refreshed as needed. */
  token(): Promise<string> {
    return this.#tokens.get();
  }

  /** Forgets `token` if it is the current one, so the next call fetches a new one. */
  invalidateToken(token: string): void {
    this.#tokens.invalidate(token);
  }

  /** Waits for a slot in `bucket`'s rate limit. Exposed for the downloader, which uses undici directly. */
  async pace(bucket: Bucket, signal?: AbortSignal): Promise<void> {
    this.calls.set(bucket, (this.calls.get(bucket) ?? 0) + 1);
    await this.#perMinute.get(bucket)?.acquire(signal);
    await this.#limiters.get(bucket)?.acquire(signal);
  }

  /** Tells `bucket`'s limiter the server wants a pause (its reset hint). */
  pauseBucket(bucket: Bucket, ms: number): void {
    this.#limiters.get(bucket)?.pauseUntil(this.clock.now() + ms);
  }

  /**
   * Runs one SDK call with pacing, retries and token refresh; returns `data` of a `code: 0` answer
   * and throws a FeishuError otherwise. `fn` gets the request options carrying the token.
   */
  async call<T>(
    bucket: Bucket,
    operation: string,
    fn: (options: RequestOptions) => Promise<Envelope<T> | undefined>,
    signal?: AbortSignal,
  ): Promise<T> {
    let refreshedToken = false;
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const token = await this.token();
      await this.pace(bucket, signal);
      let error: FeishuError;
      try {
        const options = { headers: { Authorization: `Bearer ${token}` } };
        const body = await (this.shapes ? bucketInFlight.run(bucket, () => fn(options)) : fn(options));
        if (body && typeof body === 'object' && body.code === 0) return (body.data ?? {}) as T;
        error = envelopeError(operation, body);
      } catch (e) {
        error = fromSdkError(operation, e);
      }
      if (error.kind === 'auth' && !refreshedToken) {
        refreshedToken = true;
        this.invalidateToken(token);
        continue;
      }
      if (error.kind === 'auth' && this.userToken) {
        // A fresh user token refused too: the login was revoked (or the user left the tenant).
        throw new LoginError(
          'revoked',
          `Feishu refused the signed-in user's token: ${error.message}`,
          undefined,
          {
            cause: error,
          },
        );
      }
      await waitBeforeRetry(error, attempt, {
        bucket,
        operation,
        maxRetries: this.#maxRetries,
        random: this.#random,
        clock: this.clock,
        onRetry: this.#onRetry,
        pauseBucket: (b, ms) => this.pauseBucket(b, ms),
        signal,
      });
    }
  }

  /** `call` for endpoints the SDK does not wrap (sheets v2 values): a relative `/open-apis/...` url. */
  request<T>(
    bucket: Bucket,
    req: { method: 'GET' | 'POST'; url: string; params?: Record<string, unknown>; data?: unknown },
    signal?: AbortSignal,
  ): Promise<T> {
    const operation = `${req.method} ${req.url}`;
    return this.call<T>(
      bucket,
      operation,
      (options) =>
        this.sdk.request<Envelope<T>>(
          {
            method: req.method,
            url: `${this.baseUrl}${req.url}`,
            params: req.params,
            data: req.data,
            paramsSerializer: { indexes: null },
          },
          options,
        ),
      signal,
    );
  }
}
