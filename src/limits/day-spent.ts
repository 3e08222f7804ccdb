import { calculateRetryDelay } from './backoff.js';
import type { Clock } from './clock.js';

/**
 * Why a download endpoint's day is taken as spent: our own counter reached (or came near) the
 * daily cap, or Feishu kept answering 1061045 through a sustained backoff.
 */
export type SpentBy = 'counter' | 'server';

/** Our count at or above this share of the cap makes a 1061045 mean "the day is spent". */
export const NEAR_CAP_FRACTION = 0.98;

/** How long 1061045 must keep coming through backoff before the day is taken as spent. @default 10 min */
export const DEFAULT_CAP_BACKOFF_MS = 10 * 60_000;

export interface DaySpentOptions {
  clock: Clock;
  /** @default DEFAULT_CAP_BACKOFF_MS */
  patienceMs?: number;
  /** @default NEAR_CAP_FRACTION */
  nearCapFraction?: number;
}

/**
 * Decides what a 1061045 means. Feishu answers it when the download endpoint's 5 QPS **or** its
 * 10,000 a day is exceeded, and documents it as "retry later"
 * (https://open.feishu.cn/document/server-docs/docs/drive-v1/download/download), so one answer is
 * not "today is spent": back off and retry, unless our own count says the cap is near, or the
 * answers have kept coming for `patienceMs` with no success in between.
 */
export class DaySpentDetector {
  readonly patienceMs: number;
  readonly nearCapFraction: number;
  readonly #clock: Clock;
  /** When the current run of 1061045 answers began (undefined after a success). */
  #since: number | undefined;
  #streak = 0;

  constructor(options: DaySpentOptions) {
    const patienceMs = options.patienceMs ?? DEFAULT_CAP_BACKOFF_MS;
    if (!Number.isFinite(patienceMs) || patienceMs < 0) {
      throw new TypeError(`Expected \`patienceMs\` to be a finite number >= 0, got ${patienceMs}`);
    }
    const fraction = options.nearCapFraction ?? NEAR_CAP_FRACTION;
    if (!(fraction > 0 && fraction <= 1)) {
      throw new TypeError(`Expected \`nearCapFraction\` to be in (0, 1], got ${fraction}`);
    }
    this.patienceMs = patienceMs;
    this.nearCapFraction = fraction;
    this.#clock = options.clock;
  }

  /** A 1061045 came: why the day is spent, or undefined to back off and retry. */
  limited(usage: { used: number; limit: number }): SpentBy | undefined {
    if (usage.used >= usage.limit * this.nearCapFraction) return 'counter';
    const now = this.#clock.now();
    this.#since ??= now;
    return now - this.#since >= this.patienceMs ? 'server' : undefined;
  }

  /** How long to hold the endpoint before the next try: exponential, 1 s up to a minute, or the server's hint. */
  backoffMs(resetHintMs: number | undefined, random: () => number): number {
    this.#streak++;
    return calculateRetryDelay(this.#streak, resetHintMs, { baseMs: 1000, maxMs: 60_000, random });
  }

  /** The endpoint answered: the next 1061045 starts a new streak. */
  ok(): void {
    this.#since = undefined;
    this.#streak = 0;
  }

  /** How long the current streak of 1061045 answers has lasted, in ms (0 when there is none). */
  limitedForMs(): number {
    return this.#since === undefined ? 0 : this.#clock.now() - this.#since;
  }
}
