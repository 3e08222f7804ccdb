import type { Clock } from '../../src/limits/clock.js';
import { fail, type JsonReply, type RouteName } from './contract.js';

/**
 * Feishu's frequency control as a client meets it
 * (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control): a window per API
 * (per second or per minute; a per-minute limit is a 60 s window, not its per-second average); over
 * it, 429 (HTTP 400 for the docx APIs) + code 99991400 and `x-ogw-ratelimit-*` headers. And the
 * download endpoints' daily cap (1061045).
 */
export interface RateLimit {
  /** Requests allowed in any sliding second. */
  perSecond?: number;
  /** Requests allowed in any sliding 60 s. */
  perMinute?: number;
  /**
   * When set, exceeding the limit blocks the route for this many seconds and the reset header says so;
   * otherwise the header gives the seconds until the window frees (at least 1).
   */
  resetSeconds?: number;
}

export const RATE_LIMITED_CODE = 99991400;
export const DAILY_CAP_CODE = 1061045;
export const MONTHLY_QUOTA_CODE = 99991403;

/**
 * Routes the free plan's monthly quota does not count: the token call ("认证及授权" is exempt,
 * https://open.feishu.cn/document/platform-notices/platform-updates-/custom-app-api-call-limit)
 * and the pre-signed download URL, which is not an Open API call.
 */
const NOT_METERED: ReadonlySet<RouteName> = new Set(['auth', 'media.tmp_download']);

/**
 * The limits each route's official page documents: what `enforceDocumentedLimits()` applies. Kept
 * apart from the product's own table (src/feishu/buckets.ts) on purpose: a wrong row there must
 * meet the docs here. Routes whose page gives no number (auth) are not limited.
 */
export const DOCUMENTED_LIMITS: Partial<Record<RouteName, RateLimit>> = {
  // https://open.feishu.cn/document/server-docs/docs/drive-v1/folder/list (20 次/秒)
  'drive.list': { perSecond: 20 },
  // https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/list (100 次/分钟)
  'wiki.spaces': { perMinute: 100 },
  // https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/list (100 次/分钟)
  'wiki.nodes': { perMinute: 100 },
  // https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/get_node (100 次/分钟)
  'wiki.get_node': { perMinute: 100 },
  // https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/get (每秒 5 次)
  'docx.document': { perSecond: 5 },
  // https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/list (每秒 5 次)
  'docx.blocks': { perSecond: 5 },
  // https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet-sheet/query (100 次/分钟)
  'sheets.query': { perMinute: 100 },
  // https://open.feishu.cn/document/server-docs/docs/sheets-v3/data-operation/reading-multiple-ranges (100 次/秒)
  'sheets.values': { perSecond: 100 },
  // https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet-sheet-float_image/query (100 次/分钟)
  'sheets.float_images': { perMinute: 100 },
  // https://open.feishu.cn/document/server-docs/historic-version/docs/sheets/obtain-spreadsheet-metadata (100 次/秒)
  'sheets.metainfo': { perSecond: 100 },
  // https://open.feishu.cn/document/server-docs/docs/bitable-v1/app/get (20 次/秒)
  'bitable.app': { perSecond: 20 },
  // https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table/list (20 次/秒)
  'bitable.tables': { perSecond: 20 },
  // https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-field/list (20 次/秒)
  'bitable.fields': { perSecond: 20 },
  // https://open.feishu.cn/document/docs/bitable-v1/app-table-record/search (20 次/秒)
  'bitable.records': { perSecond: 20 },
  // https://open.feishu.cn/document/server-docs/docs/drive-v1/media/download (5 QPS, 10000 次/天)
  'media.download': { perSecond: 5 },
  // https://open.feishu.cn/document/server-docs/docs/drive-v1/download/download (5 QPS, 10000 次/天)
  'drive.download': { perSecond: 5 },
  // https://open.feishu.cn/document/server-docs/docs/drive-v1/media/batch_get_tmp_download_url
  // ("特殊频控", no number; an older Lark page: 5 QPS)
  'media.tmp_url': { perSecond: 5 },
  // https://open.feishu.cn/document/docs/board-v1/whiteboard/download_as_image (10 次/秒)
  'board.image': { perSecond: 10 },
  // https://open.feishu.cn/document/server-docs/docs/permission/permission-member/auth (100 次/分钟)
  'drive.member_auth': { perMinute: 100 },
  // https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet/get (100 次/分钟)
  'sheets.spreadsheet': { perMinute: 100 },
  // https://open.feishu.cn/document/server-docs/docs/drive-v1/file/batch_query (1000 次/分钟、50 次/秒)
  'drive.metas': { perSecond: 50, perMinute: 1000 },
};

/** Hours added to UTC before cutting days: Feishu's day is China's (UTC+8) [unconfirmed]. */
const DAY_OFFSET_MS = 8 * 3600_000;

interface Window {
  limit: number;
  ms: number;
}

function windowsOf(limit: RateLimit): Window[] {
  const out: Window[] = [];
  if (limit.perSecond !== undefined) out.push({ limit: limit.perSecond, ms: 1000 });
  if (limit.perMinute !== undefined) out.push({ limit: limit.perMinute, ms: 60_000 });
  return out;
}

export class Limits {
  readonly #clock: Clock;
  readonly #rates = new Map<RouteName, RateLimit>();
  /** Start times of the requests let through, per route, oldest first (the longest window's worth). */
  readonly #starts = new Map<RouteName, number[]>();
  readonly #blockedUntil = new Map<RouteName, number>();
  readonly #caps = new Map<RouteName, { cap: number; day: number; used: number }>();
  #monthly: { left: number } | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  setRateLimit(route: RouteName, limit: RateLimit | undefined): void {
    if (limit === undefined) {
      this.#rates.delete(route);
      return;
    }
    const windows = windowsOf(limit);
    if (windows.length === 0 || windows.some((w) => !(w.limit > 0))) {
      throw new TypeError(`Expected \`perSecond\` or \`perMinute\` > 0, got ${JSON.stringify(limit)}`);
    }
    this.#rates.set(route, limit);
    this.#starts.set(route, []);
    this.#blockedUntil.delete(route);
  }

  /** Applies every row of {@link DOCUMENTED_LIMITS}. */
  enforceDocumentedLimits(): void {
    for (const [route, limit] of Object.entries(DOCUMENTED_LIMITS)) {
      this.setRateLimit(route as RouteName, limit);
    }
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

  /** The rate-limit answer when this request is over a limit; counts it otherwise. */
  checkRate(route: RouteName): JsonReply | undefined {
    const limit = this.#rates.get(route);
    if (!limit) return undefined;
    const windows = windowsOf(limit);
    const now = this.#clock.now();
    const longest = Math.max(...windows.map((w) => w.ms));
    const blocked = this.#blockedUntil.get(route) ?? 0;
    const headline = windows[0]!.limit;
    if (now < blocked) return rateLimited(route, headline, Math.ceil((blocked - now) / 1000));
    const starts = (this.#starts.get(route) ?? []).filter((t) => t > now - longest);
    this.#starts.set(route, starts);
    for (const w of windows) {
      const inWindow = starts.filter((t) => t > now - w.ms);
      if (inWindow.length < w.limit) continue;
      if (limit.resetSeconds !== undefined) {
        this.#blockedUntil.set(route, now + limit.resetSeconds * 1000);
        return rateLimited(route, w.limit, limit.resetSeconds);
      }
      // The window frees when its oldest request inside it leaves.
      const frees = inWindow[inWindow.length - w.limit]! + w.ms;
      return rateLimited(route, w.limit, Math.max(1, Math.ceil((frees - now) / 1000)));
    }
    starts.push(now);
    return undefined;
  }

  /** After `calls` more metered calls, every metered route answers 99991403. `undefined` lifts it. */
  setMonthlyQuota(calls: number | undefined): void {
    this.#monthly = calls === undefined ? undefined : { left: calls };
  }

  /**
   * The 99991403 answer once the tenant's monthly calls are spent; counts the call otherwise. The
   * HTTP status of that answer is not documented [unconfirmed]: 400 here, as for most errors.
   */
  checkMonthly(route: RouteName): JsonReply | undefined {
    if (!this.#monthly || NOT_METERED.has(route)) return undefined;
    if (this.#monthly.left <= 0) {
      return fail(400, MONTHLY_QUOTA_CODE, "This month's API call quota has been exceeded");
    }
    this.#monthly.left -= 1;
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
