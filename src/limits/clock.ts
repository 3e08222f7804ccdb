/**
 * Time as the rest of the code sees it. Production uses {@link systemClock}; tests pass a
 * {@link ManualClock} so rate limits, backoff and day boundaries are exercised without real waiting.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time; rejects with the signal's reason on abort. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

interface Sleeper {
  until: number;
  resolve: () => void;
}

/**
 * A clock that only moves when told to. `sleep` resolves once `advance` has moved time past its
 * deadline, so a test can drive minutes of backoff in microseconds and assert exact timings.
 */
export class ManualClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      // The listener goes when the sleep ends: one long-lived signal sees many sleeps.
      const sleeper: Sleeper = {
        until: this.#now + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Number of callers currently waiting in `sleep`. */
  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  /** Moves time forward, waking every sleeper whose deadline has passed, in deadline order. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      // Let work woken by the previous step schedule its next sleep before looking again.
      await flushMicrotasks();
      const next = this.#sleepers.filter((s) => s.until <= target).sort((a, b) => a.until - b.until)[0];
      if (!next) break;
      this.#now = Math.max(this.#now, next.until);
      this.#sleepers = this.#sleepers.filter((s) => s !== next);
      next.resolve();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  /** Sets the absolute time (forward only), waking sleepers as `advance` does. */
  async setTime(ms: number): Promise<void> {
    await this.advance(Math.max(0, ms - this.#now));
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
