import type { Clock } from './clock.js';

export interface SlidingWindowOptions {
  /** Most requests allowed to start inside any window of `windowMs`. */
  limit: number;
  /** @default 1000 */
  windowMs?: number;
  /**
   * Also spread starts at least about this far apart (ms), so a window's allowance is not spent in one
   * burst that network jitter could squeeze into the server's next window. Lateness is not carried
   * forward: a start granted a little late does not push the ones after it back.
   * @default 0 (bursts allowed up to `limit`)
   */
  spacingMs?: number;
  clock: Clock;
}

/**
 * A strict sliding-window limiter: at most `limit` acquisitions start in any interval of `windowMs`,
 * whatever the concurrency. p-queue's interval cap is a fixed window (10 calls can land in 10 ms across
 * a boundary), which Feishu's per-second limits punish, hence this small class.
 */
export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly spacingMs: number;
  readonly #clock: Clock;
  /** The earliest time the next start may be granted under `spacingMs` (its scheduled slot). */
  #nextSlot = Number.NEGATIVE_INFINITY;
  /** Start times of the most recent acquisitions, oldest first (at most `limit`). */
  #starts: number[] = [];
  #chain: Promise<void> = Promise.resolve();
  /** Nothing may start before this time (set by a server's reset hint). */
  #pausedUntil = 0;

  constructor(options: SlidingWindowOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new TypeError(`Expected \`limit\` to be an integer >= 1, got ${options.limit}`);
    }
    const windowMs = options.windowMs ?? 1000;
    if (!Number.isFinite(windowMs) || windowMs <= 0) {
      throw new TypeError(`Expected \`windowMs\` to be a finite number > 0, got ${windowMs}`);
    }
    const spacingMs = options.spacingMs ?? 0;
    if (!Number.isFinite(spacingMs) || spacingMs < 0) {
      throw new TypeError(`Expected \`spacingMs\` to be a finite number >= 0, got ${spacingMs}`);
    }
    this.limit = options.limit;
    this.windowMs = windowMs;
    this.spacingMs = spacingMs;
    this.#clock = options.clock;
  }

  /** Waits for a slot and takes it. Slots are granted in call order. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#chain.then(() => this.#take(signal));
    // Keep the chain alive when one waiter is aborted.
    this.#chain = turn.catch(() => undefined);
    return turn;
  }

  /** Stops every start until `until` (epoch ms): used when the server says the window is spent. */
  pauseUntil(until: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }

  async #take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      let wait = Math.max(this.#pausedUntil - now, this.#nextSlot - now);
      if (this.#starts.length >= this.limit) {
        wait = Math.max(wait, this.#starts[0]! + this.windowMs - now);
      }
      if (wait <= 0) {
        this.#starts.push(now);
        if (this.#starts.length > this.limit) this.#starts.shift();
        if (this.spacingMs > 0) {
          // A grant at most half a slot late keeps the schedule (lateness is not carried forward);
          // after idling, the schedule restarts from now. The window above still caps any burst.
          const onSchedule = now - this.#nextSlot <= this.spacingMs / 2;
          this.#nextSlot = (onSchedule ? this.#nextSlot : now) + this.spacingMs;
        }
        return;
      }
      await this.#clock.sleep(wait, signal);
    }
  }
}
