import type { Clock } from './clock.js';

/** One start in the window: when it was granted, and how long its answer took once known. */
interface Start {
  at: number;
  latency?: number;
}

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
  /** Start times of the most recent acquisitions (at most `limit`), moved later by `answered`. */
  #starts: Start[] = [];
  #chain: Promise<void> = Promise.resolve();
  /** Nothing may start before this time (set by a server's reset hint). */
  #pausedUntil = 0;
  /** The shortest time from a start to its answer seen so far: the network's own delay (see `answered`). */
  #minLatency = Number.POSITIVE_INFINITY;

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

  /** Waits for a slot and takes it; resolves with the start's time (for `answered`). Slots are granted in call order. */
  acquire(signal?: AbortSignal): Promise<number> {
    const turn = this.#chain.then(() => this.#take(signal));
    // Keep the chain alive when one waiter is aborted.
    this.#chain = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /**
   * The request started at `startedAt` (the `now` its `acquire` resolved at) was answered at `answeredAt`.
   * The server counts a request when it arrives, which is later than our start by the network's delay
   * and by any jitter on top (a new connection's handshake, a busy event loop on either side). The
   * delay common to every request moves every arrival alike and changes no window; the jitter does not:
   * a first request 30 ms late and the fifth after it on time put six arrivals in the server's second
   * while our starts were 1.02 s apart (measured: one 429 a lane at start-up with three lanes at once).
   * So a start's place in the window moves later by how much slower its answer was than the fastest
   * seen: an upper bound of its extra delay, never more than one window. Calls for starts already out
   * of the window are ignored.
   */
  answered(startedAt: number, answeredAt: number): void {
    const latency = Math.max(0, answeredAt - startedAt);
    this.#minLatency = Math.min(this.#minLatency, latency);
    const start = this.#starts.find((s) => s.at === startedAt && s.latency === undefined);
    if (start) start.latency = latency;
  }

  /**
   * When the server may have counted `s`, at the latest: its start plus how much slower than the fastest
   * its answer was, at most one window later. A start not answered yet counts at its start: a window
   * later it has almost always been answered, and counting the in-flight ones as late cost a tenth of
   * the rate at 50/s on a loaded machine.
   */
  #arrival(s: Start): number {
    if (s.latency === undefined || !Number.isFinite(this.#minLatency)) return s.at;
    return s.at + Math.min(this.windowMs, Math.max(0, s.latency - this.#minLatency));
  }

  /** Stops every start until `until` (epoch ms): used when the server says the window is spent. */
  pauseUntil(until: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }

  async #take(signal?: AbortSignal): Promise<number> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      let wait = Math.max(this.#pausedUntil - now, this.#nextSlot - now);
      if (this.#starts.length >= this.limit) {
        const earliest = Math.min(...this.#starts.map((s) => this.#arrival(s)));
        wait = Math.max(wait, earliest + this.windowMs - now);
      }
      if (wait <= 0) {
        this.#starts.push({ at: now });
        // The latest `limit` arrivals are what the next start must be a window after: drop the earliest.
        if (this.#starts.length > this.limit) {
          const arrivals = this.#starts.map((s) => this.#arrival(s));
          this.#starts.splice(arrivals.indexOf(Math.min(...arrivals)), 1);
        }
        if (this.spacingMs > 0) {
          // A grant at most half a slot late keeps the schedule (lateness is not carried forward);
          // after idling, the schedule restarts from now. The window above still caps any burst.
          const onSchedule = now - this.#nextSlot <= this.spacingMs / 2;
          this.#nextSlot = (onSchedule ? this.#nextSlot : now) + this.spacingMs;
        }
        return now;
      }
      await this.#clock.sleep(wait, signal);
    }
  }
}
