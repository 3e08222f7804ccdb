import type { Clock } from '../limits/clock.js';
import type { RetryEvent } from './retry-event.js';

/**
 * What a token source needs to call a token endpoint: the app's tenant token (tenant-token.ts)
 * and the signed-in user's access token (src/auth/user-token.ts) are paced and retried alike.
 */
export interface TokenCallOptions {
  baseUrl: string;
  appId: string;
  appSecret: string;
  clock: Clock;
  /** Waits for a slot in the `auth` bucket (the client's limiter, counted in its calls). */
  pace: (bucket: 'auth') => Promise<void>;
  maxRetries: number;
  random: () => number;
  onRetry: ((event: RetryEvent) => void) | undefined;
}

/**
 * One fetch of a token for all the callers that find it spent at once: the first starts it, the
 * others wait on the same promise, and the next caller after it settles may start another.
 */
export class SingleFlight {
  #pending: Promise<string> | undefined;

  run(fetch: () => Promise<string>): Promise<string> {
    this.#pending ??= fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }
}
