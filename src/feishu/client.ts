import { createRequire } from 'node:module';
import type * as lark from '@larksuiteoapi/node-sdk';
import { request as undiciRequest } from 'undici';
import { calculateRetryDelay } from '../limits/backoff.js';
import { type Clock, systemClock } from '../limits/clock.js';
import { SlidingWindowLimiter } from '../limits/sliding-window.js';
import { BUCKETS, type Bucket, DEFAULT_RATES } from './buckets.js';
import { FeishuError, fromSdkError } from './errors.js';

export const FEISHU_BASE_URL = 'https://open.feishu.cn';
export const LARK_BASE_URL = 'https://open.larksuite.com';

export interface FeishuClientOptions {
  appId: string;
  appSecret: string;
  /** Base URL without a trailing slash. @default https://open.feishu.cn */
  baseUrl?: string;
  /** @default systemClock */
  clock?: Clock;
  /**
   * Requests per second per bucket; `Infinity` turns a bucket's pacing off (benchmarks).
   * @default DEFAULT_RATES
   */
  rates?: Partial<Record<Bucket, number>>;
  /** Retries of a rate-limited or temporary failure, per call. @default 6 */
  maxRetries?: number;
  /** @default Math.random */
  random?: () => number;
  /** Called on each retry, for logs and progress. Never receives a secret. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  bucket: Bucket;
  operation: string;
  attempt: number;
  kind: string;
  delayMs: number;
  message: string;
}

/** The Feishu JSON envelope. */
export interface Envelope<T> {
  code?: number;
  msg?: string;
  data?: T;
}

interface CachedToken {
  value: string;
  /** Epoch ms after which we ask for a new one. */
  refreshAt: number;
}

/** The per-call options the SDK takes (its type is not exported). */
export type RequestOptions = ReturnType<typeof lark.withTenantToken>;

const requireCjs = createRequire(import.meta.url);

const silentLogger = {
  error: (): void => undefined,
  warn: (): void => undefined,
  info: (): void => undefined,
  debug: (): void => undefined,
  trace: (): void => undefined,
};

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
  readonly #appId: string;
  readonly #appSecret: string;
  readonly #limiters = new Map<Bucket, SlidingWindowLimiter>();
  readonly #maxRetries: number;
  readonly #random: () => number;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  #token: CachedToken | undefined;
  #sdk: lark.Client | undefined;
  #tokenPromise: Promise<string> | undefined;

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
    for (const bucket of BUCKETS) {
      const rate = options.rates?.[bucket] ?? DEFAULT_RATES[bucket];
      if (Number.isFinite(rate)) {
        this.#limiters.set(bucket, new SlidingWindowLimiter({ limit: rate, clock: this.clock }));
      }
    }
  }

  /**
   * The official SDK client, loaded on first use: importing the SDK costs ~75 MiB of memory and a
   * second of start-up, which a download-only run (undici + the token call) never needs.
   */
  get sdk(): lark.Client {
    if (this.#sdk) return this.#sdk;
    const sdk = requireCjs('@larksuiteoapi/node-sdk') as typeof lark;
    this.#sdk = new sdk.Client({
      appId: this.#appId,
      appSecret: this.#appSecret,
      domain: this.baseUrl,
      // We manage the tenant token ourselves (refresh on 99991663, a cache per client, a fake clock
      // in tests); the SDK's cache is a module singleton keyed by app id.
      disableTokenCache: true,
      cache: new sdk.DefaultCache(),
      // The SDK logs whole request configs on errors; ours are classified and redacted instead.
      logger: silentLogger,
    });
    return this.#sdk;
  }

  /** The current tenant access token, fetched or refreshed as needed. */
  async token(): Promise<string> {
    const cached = this.#token;
    if (cached && this.clock.now() < cached.refreshAt) return cached.value;
    this.#tokenPromise ??= this.#fetchToken().finally(() => {
      this.#tokenPromise = undefined;
    });
    return this.#tokenPromise;
  }

  /** Forgets `token` if it is the current one, so the next call fetches a new one. */
  invalidateToken(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
  }

  /** Waits for a slot in `bucket`'s rate limit. Exposed for the downloader, which uses undici directly. */
  async pace(bucket: Bucket, signal?: AbortSignal): Promise<void> {
    this.calls.set(bucket, (this.calls.get(bucket) ?? 0) + 1);
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
        const body = await fn({ headers: { Authorization: `Bearer ${token}` } });
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
      if ((error.kind !== 'rate_limited' && error.kind !== 'temporary') || attempt > this.#maxRetries) {
        throw error;
      }
      const delayMs = calculateRetryDelay(attempt, error.retryAfterMs, { random: this.#random });
      if (error.kind === 'rate_limited') this.pauseBucket(bucket, delayMs);
      this.#onRetry?.({ bucket, operation, attempt, kind: error.kind, delayMs, message: error.message });
      await this.clock.sleep(delayMs, signal);
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

  /**
   * The one call made without the SDK: a plain JSON POST
   * (https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal),
   * so that a download-only run never loads the SDK. Non-2xx answers throw like the SDK's axios does.
   */
  async #postTokenRequest(operation: string): Promise<TokenAnswer> {
    const res = await undiciRequest(`${this.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ app_id: this.#appId, app_secret: this.#appSecret }),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw fromSdkError(operation, {
        isAxiosError: true,
        response: { status: res.statusCode, data: body, headers: res.headers },
      });
    }
    return (body ?? {}) as TokenAnswer;
  }

  async #fetchToken(): Promise<string> {
    const operation = 'POST /open-apis/auth/v3/tenant_access_token/internal';
    for (let attempt = 1; ; attempt++) {
      await this.pace('auth');
      let error: FeishuError;
      try {
        const body = await this.#postTokenRequest(operation);
        if (body?.code === 0 && typeof body.tenant_access_token === 'string' && body.tenant_access_token) {
          const expireMs = (typeof body.expire === 'number' && body.expire > 0 ? body.expire : 7200) * 1000;
          // Refresh with 5 minutes (or a tenth of a short life) to spare: a token must not expire mid-call.
          const margin = Math.min(5 * 60_000, expireMs / 10);
          this.#token = { value: body.tenant_access_token, refreshAt: this.clock.now() + expireMs - margin };
          return body.tenant_access_token;
        }
        error = envelopeError(operation, body);
        if (error.kind === 'bad_request' || error.kind === 'auth') {
          // The token endpoint answers code 10003/10014 etc. for bad credentials.
          error = new FeishuError(operation, {
            ...(body?.code !== undefined ? { feishuCode: body.code } : {}),
            ...(body?.msg ? { msg: body.msg } : {}),
            kind: 'credentials',
          });
        }
      } catch (e) {
        error = fromSdkError(operation, e);
      }
      if ((error.kind !== 'rate_limited' && error.kind !== 'temporary') || attempt > this.#maxRetries)
        throw error;
      const delayMs = calculateRetryDelay(attempt, error.retryAfterMs, { random: this.#random });
      this.#onRetry?.({
        bucket: 'auth',
        operation,
        attempt,
        kind: error.kind,
        delayMs,
        message: error.message,
      });
      await this.clock.sleep(delayMs);
    }
  }
}

interface TokenAnswer {
  code?: number;
  msg?: string;
  tenant_access_token?: string;
  expire?: number;
}

function envelopeError(operation: string, body: unknown): FeishuError {
  if (!body || typeof body !== 'object' || typeof (body as Envelope<unknown>).code !== 'number') {
    return new FeishuError(operation, {
      httpStatus: 200,
      msg: 'answer is not a Feishu JSON envelope',
      kind: 'protocol',
    });
  }
  const { code, msg } = body as Envelope<unknown>;
  return new FeishuError(operation, { httpStatus: 200, feishuCode: code!, msg: msg ?? '' });
}
