import { request as undiciRequest } from 'undici';
import { envelopeError } from './envelope.js';
import { FeishuError, fromSdkError } from './errors.js';
import { waitBeforeRetry } from './retry-step.js';
import type { Answer } from './shapes/recorder.js';
import { SingleFlight, type TokenCallOptions } from './token-source.js';

export interface TenantTokenOptions extends TokenCallOptions {
  /** `--record-shapes`: sees each token answer (its shape only is kept; see src/feishu/shapes/). */
  observe?: ((answer: Answer) => void) | undefined;
}

interface CachedToken {
  value: string;
  /** Epoch ms after which we ask for a new one. */
  refreshAt: number;
}

interface TokenAnswer {
  code?: number;
  msg?: string;
  tenant_access_token?: string;
  expire?: number;
}

/**
 * The tenant access token of one client: cached until shortly before it expires, fetched once for
 * all concurrent callers, retried like any call when rate-limited or temporarily failing.
 */
export class TenantToken {
  readonly #options: TenantTokenOptions;
  #token: CachedToken | undefined;
  readonly #fetching = new SingleFlight();

  constructor(options: TenantTokenOptions) {
    this.#options = options;
  }

  /** The current token, fetched or refreshed as needed. */
  async get(): Promise<string> {
    const cached = this.#token;
    if (cached && this.#options.clock.now() < cached.refreshAt) return cached.value;
    return this.#fetching.run(() => this.#fetchToken());
  }

  /** Forgets `token` if it is the current one, so the next `get` fetches a new one. */
  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
  }

  /**
   * The one call made without the SDK: a plain JSON POST
   * (https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal),
   * so that a download-only run never loads the SDK. Non-2xx answers throw like the SDK's axios does.
   */
  async #postTokenRequest(operation: string): Promise<TokenAnswer> {
    const { baseUrl, appId, appSecret } = this.#options;
    const res = await undiciRequest(`${baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ app_id: appId, app_secret: appSecret }),
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
    this.#options.observe?.({ status: res.statusCode, headers: res.headers, json: body });
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw fromSdkError(operation, {
        isAxiosError: true,
        response: { status: res.statusCode, data: body, headers: res.headers },
      });
    }
    return (body ?? {}) as TokenAnswer;
  }

  async #fetchToken(): Promise<string> {
    const { clock, pace, maxRetries, random, onRetry } = this.#options;
    const operation = 'POST /open-apis/auth/v3/tenant_access_token/internal';
    for (let attempt = 1; ; attempt++) {
      await pace('auth');
      let error: FeishuError;
      try {
        const body = await this.#postTokenRequest(operation);
        if (body?.code === 0 && typeof body.tenant_access_token === 'string' && body.tenant_access_token) {
          const expireMs = (typeof body.expire === 'number' && body.expire > 0 ? body.expire : 7200) * 1000;
          // Refresh with 5 minutes (or a tenth of a short life) to spare: a token must not expire mid-call.
          const margin = Math.min(5 * 60_000, expireMs / 10);
          this.#token = { value: body.tenant_access_token, refreshAt: clock.now() + expireMs - margin };
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
      await waitBeforeRetry(error, attempt, {
        bucket: 'auth',
        operation,
        maxRetries,
        random,
        clock,
        onRetry,
      });
    }
  }
}
