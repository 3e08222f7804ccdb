import { createRequire } from 'node:module';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Answer } from './shapes/recorder.js';

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

/** Loads the official SDK (CommonJS) and builds a client of it with its own caches and no logging. */
export function createSdkClient(options: {
  appId: string;
  appSecret: string;
  baseUrl: string;
  /** Sees every answer's status, headers and body (`--record-shapes`); absent: the SDK's own instance. */
  observe?: ((answer: Answer) => void) | undefined;
}): lark.Client {
  const sdk = requireCjs('@larksuiteoapi/node-sdk') as typeof lark;
  const httpInstance = options.observe ? observedHttp(options.observe) : undefined;
  return new sdk.Client({
    ...(httpInstance ? { httpInstance } : {}),
    appId: options.appId,
    appSecret: options.appSecret,
    domain: options.baseUrl,
    // We manage the tenant token ourselves (refresh on 99991663, a cache per client, a fake clock
    // in tests); the SDK's cache is a module singleton keyed by app id.
    disableTokenCache: true,
    cache: new sdk.DefaultCache(),
    // The SDK logs whole request configs on errors; ours are classified and redacted instead.
    logger: silentLogger,
  });
}

interface AxiosLikeResponse {
  status: number;
  headers: Record<string, unknown> & { toJSON?: () => Record<string, unknown> };
  data: unknown;
  config: Record<string, unknown>;
}

/**
 * An http instance like the SDK's default one (it returns `data`, or `{data, headers}` when the SDK
 * asks with `$return_headers`), that first shows each answer to `observe`. Built from the SDK's own
 * axios, so behaviour is the SDK's; only used while shapes are recorded.
 */
function observedHttp(observe: (answer: Answer) => void): lark.Client['httpInstance'] {
  const axios = createRequire(requireCjs.resolve('@larksuiteoapi/node-sdk'))('axios') as {
    create(): {
      interceptors: {
        response: {
          use(
            ok: (r: AxiosLikeResponse) => unknown,
            bad: (e: { response?: AxiosLikeResponse }) => unknown,
          ): void;
        };
      };
    };
  };
  const instance = axios.create();
  const show = (r: AxiosLikeResponse): void => {
    const headers = typeof r.headers?.toJSON === 'function' ? r.headers.toJSON() : (r.headers ?? {});
    const json =
      r.data !== null && typeof r.data === 'object' && !Buffer.isBuffer(r.data) && !('pipe' in r.data)
        ? r.data
        : undefined;
    try {
      observe({ status: r.status, headers, json, binary: json === undefined && r.data != null });
    } catch {
      // Recording shapes never changes what the call returns.
    }
  };
  instance.interceptors.response.use(
    (r) => {
      show(r);
      return r.config.$return_headers ? { data: r.data, headers: r.headers } : r.data;
    },
    (e) => {
      if (e?.response) show(e.response);
      return Promise.reject(e);
    },
  );
  return instance as unknown as lark.Client['httpInstance'];
}
