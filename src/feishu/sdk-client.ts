import { createRequire } from 'node:module';
import type * as lark from '@larksuiteoapi/node-sdk';

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
export function createSdkClient(options: { appId: string; appSecret: string; baseUrl: string }): lark.Client {
  const sdk = requireCjs('@larksuiteoapi/node-sdk') as typeof lark;
  return new sdk.Client({
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
