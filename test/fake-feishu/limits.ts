import type { Clock } from '../../src/limits/clock.js';
import { fail, type JsonReply, type RouteName } from './contract.js';

/**
 * Feishu's frequency control as a client meets it
 * (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control): a per-second window
 * per API; over it, 429 (HTTP 400 for the docx APIs) + code 99991400 and `x-ogw-ratelimit-*` headers.
 * And the media download's daily cap (1061045).
 */
export interface RateLimit {
  perSecond: number;
  /**
   * When set, exceeding the limit blocks the route for this many seconds and the reset header says so;
   * otherwise the header gives the seconds until the window frees (at least 1).
   */
  resetSeconds?: number;
}

export const RATE_LIMITED_CODE = 99991400;
export const DAILY_CAP_CODE = 1061045;

/** Hours added to UTC before cutting days: Feishu's day is China's (UTC+8) [unconfirmed]. */
const DAY_OFFSET_MS = 8 * 3600_000;

export class Limits {
  readonly #clock: Clock;
  readonly #rates = new Map<RouteName, RateLimit>();
  readonly #windows = new Map<RouteName, number[]>();
  readonly #blockedUntil = new Map<RouteName, number>();
  readonly #caps = new Map<RouteName, { cap: number; day: number; used: number }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  setRateLimit(route: RouteName, limit: RateLimit | undefined): void {
    if (limit === undefined) {
      this.#rates.delete(route);
      return;
    }
    if (!(limit.perSecond > 0)) throw new TypeError(`Expected \`perSecond\` > 0, got ${limit.perSecond}`);
    this.#rates.set(route, limit);
    this.#windows.set(route, []);
    this.#blockedUntil.delete(route);
  }

  setDailyCap(route: RouteName, cap: number | undefined): void {
    if (cap === undefined) this.#caps.delete(route);
    else this.#caps.set(route, { cap, day: this.#day(), used: 0 });
  }

  /** Calls the daily cap has left today, or undefined when there is none. */
  remainingToday(route: RouteName): number | undefined {
    const c = this.#caps.get(route);
    if (!c) return undefined;
    return c.day === this.#day() ? Math.max(0, c.cap - c.used) : c.cap;
  }

  /** The rate-limit answer when this request is over the limit; counts it otherwise. */
  checkRate(route: RouteName): JsonReply | undefined {
    const limit = this.#rates.get(route);
    if (!limit) return undefined;
    const now = this.#clock.now();
    const blocked = this.#blockedUntil.get(route) ?? 0;
    if (now < blocked) return rateLimited(route, limit.perSecond, Math.ceil((blocked - now) / 1000));
    const window = (this.#windows.get(route) ?? []).filter((t) => t > now - 1000);
    this.#windows.set(route, window);
    if (window.length >= limit.perSecond) {
      if (limit.resetSeconds !== undefined) {
        this.#blockedUntil.set(route, now + limit.resetSeconds * 1000);
        return rateLimited(route, limit.perSecond, limit.resetSeconds);
      }
      return rateLimited(route, limit.perSecond, Math.max(1, Math.ceil((window[0]! + 1000 - now) / 1000)));
    }
    window.push(now);
    return undefined;
  }

  /** The 1061045 answer once the day's calls are spent; counts the call otherwise. */
  checkDailyCap(route: RouteName): JsonReply | undefined {
    const c = this.#caps.get(route);
    if (!c) return undefined;
    const today = this.#day();
    if (c.day !== today) {
      c.day = today;
      c.used = 0;
    }
    if (c.used >= c.cap)
      return fail(400, DAILY_CAP_CODE, 'download limit exceeded today, please retry later');
    c.used += 1;
    return undefined;
  }

  #day(): number {
    return Math.floor((this.#clock.now() + DAY_OFFSET_MS) / 86_400_000);
  }
}

/** The documented frequency-limit answer for `route`. */
export function rateLimited(route: RouteName, limit: number, resetSeconds: number): JsonReply {
  // The docx block APIs are older and answer 400 rather than 429.
  const status = route.startsWith('docx.') ? 400 : 429;
  return fail(status, RATE_LIMITED_CODE, 'request trigger frequency limit', {
    'x-ogw-ratelimit-limit': String(limit),
    'x-ogw-ratelimit-reset': String(resetSeconds),
  });
}
