import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { FeishuClient } from '../feishu/client.js';
import { FeishuError } from '../feishu/errors.js';
import type { DailyQuota } from '../inventory/quota.js';
import type { Clock } from '../limits/clock.js';
import type { SlidingWindowLimiter } from '../limits/sliding-window.js';

/**
 * `GET /open-apis/drive/v1/medias/batch_get_tmp_download_url?file_tokens=..&file_tokens=..[&extra=]`:
 * up to 5 media inside documents per call ("一次最多可传递 5 个素材的 token"; not drive files), each
 * URL valid 24 hours, on Feishu's download host outside /open-apis. Its rate limit ("接口频率限制") is
 * "特殊频控" (special frequency control) with no figure; the frequency-control page it links says such
 * APIs are outside the standard tiers and their figure comes from Feishu's support
 * (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control). No daily figure
 * either, and the only error the page lists is 400/1061002. We pace it at 5/s (bucket `media.tmp_url`,
 * as an older Lark page said) and count every call.
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/media/batch_get_tmp_download_url
 * (mirror: feishu/003-服务端API/uUDN04SN0QjL1QDN/drive-v1/media/batch_get_tmp_download_url.md)
 */
export const TMP_URL_BATCH = 5;
/** Documented validity; we renew an hour early (a long file may outlive it anyway: see `forget`). */
const TMP_URL_TTL_MS = 24 * 3_600_000;
const RENEW_EARLY_MS = 3_600_000;

const OPERATION = 'GET /open-apis/drive/v1/medias/batch_get_tmp_download_url';
/** Answers about one file of a call rather than the call: the call is split to find which. */
const PER_FILE: ReadonlySet<string> = new Set(['not_found', 'permission', 'bad_request']);

interface Waiter {
  fileToken: string;
  extra: string | null;
  /** Asked for in a call of its own: a call holding it with others was refused for one of them. */
  alone?: boolean;
  resolve: (url: string) => void;
  reject: (e: unknown) => void;
}

export interface TmpUrlOptions {
  client: FeishuClient;
  dispatcher: Dispatcher;
  limiter: SlidingWindowLimiter;
  /** The batch call's own counter (bucket `media.tmp_url`). */
  quota: DailyQuota;
  clock: Clock;
  signal: AbortSignal;
  /** Called once per batch call sent. */
  onRequest?: () => void;
}

/**
 * Hands out temporary URLs, batching the files that ask while a call waits for its slot (up to 5 with
 * the same `extra` per call) and keeping each URL until it nears its expiry or the temporary host
 * refuses it.
 */
export class TmpUrls {
  readonly #o: TmpUrlOptions;
  readonly #cache = new Map<string, { url: string; until: number }>();
  #waiting: Waiter[] = [];
  #running = false;
  /** Batch calls sent in this run. */
  calls = 0;
  /**
   * The files the queue hands out next (set by the run): a call with room asks for their URLs too,
   * so that 5 files cost one call, not five. Optional: without it only waiting files share a call.
   */
  lookahead?: (n: number) => readonly { fileToken: string; extra: string | null }[];
  /** Files of a call refused for one of its files: not asked for ahead again. */
  readonly #notAhead = new Set<string>();

  constructor(options: TmpUrlOptions) {
    this.#o = options;
  }

  /** The URL of a file, from the cache or a (batched) call; rejects with the call's FeishuError. */
  url(fileToken: string, extra: string | null): Promise<string> {
    const hit = this.#cache.get(key(fileToken, extra));
    if (hit && hit.until > this.#o.clock.now()) return Promise.resolve(hit.url);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ fileToken, extra, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  /** Feishu refused a batch call (rate limit, quota): no call before `until`. */
  pauseUntil(until: number): void {
    this.#o.limiter.pauseUntil(until);
  }

  /** The temporary host refused the URL (expired): the next `url` makes a new call. */
  forget(fileToken: string, extra: string | null): void {
    this.#cache.delete(key(fileToken, extra));
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#waiting.length > 0) {
        let startedAt: number;
        try {
          startedAt = await this.#o.limiter.acquire(this.#o.signal);
        } catch (e) {
          for (const w of this.#waiting.splice(0)) w.reject(e);
          return;
        }
        // Those that arrived while the call waited for its slot go in it too.
        const first = this.#waiting[0]!;
        const extra = first.extra;
        const size = first.alone ? 1 : TMP_URL_BATCH;
        const batch: Waiter[] = [];
        this.#waiting = this.#waiting.filter((w) => {
          if (
            batch.length < size &&
            (w === first || !w.alone) &&
            w.extra === extra &&
            !batch.some((b) => b.fileToken === w.fileToken)
          ) {
            batch.push(w);
            return false;
          }
          return true;
        });
        // Room left in the call: the URLs of the files next in the queue come with it, for later.
        const ahead = first.alone ? [] : this.#ahead(batch, extra);
        if (!this.#o.quota.tryReserve()) {
          const e = new FeishuError(OPERATION, {
            feishuCode: 99991400,
            msg: "today's batch calls are spent",
            kind: 'quota',
          });
          for (const w of batch) w.reject(e);
          continue;
        }
        this.calls++;
        this.#o.onRequest?.();
        try {
          const urls = await this.#call([...batch.map((w) => w.fileToken), ...ahead], extra, startedAt);
          for (const t of ahead) {
            const url = urls.get(t);
            if (url) this.#remember(t, extra, url);
          }
          for (const w of batch) {
            const url = urls.get(w.fileToken);
            if (url) {
              this.#remember(w.fileToken, extra, url);
              w.resolve(url);
            } else {
              w.reject(
                new FeishuError(OPERATION, { msg: `no temporary URL for ${w.fileToken}`, kind: 'protocol' }),
              );
            }
          }
        } catch (e) {
          if (batch.length + ahead.length > 1 && e instanceof FeishuError && PER_FILE.has(e.kind)) {
            // One file the app may not read (deleted, forbidden, wrong `extra`) fails the whole call
            // (the page documents no partial answer): each is asked for alone, the others are not lost,
            // and the files asked for ahead wait for their turn.
            for (const t of ahead) this.#notAhead.add(t);
            for (const w of batch) w.alone = true;
            this.#waiting.unshift(...batch);
          } else {
            for (const w of batch) w.reject(e);
          }
        }
      }
    } finally {
      this.#running = false;
    }
  }

  /** Up to the call's room, files next in the queue with the same `extra` whose URL is not at hand. */
  #ahead(batch: Waiter[], extra: string | null): string[] {
    const out: string[] = [];
    const room = TMP_URL_BATCH - batch.length;
    if (room <= 0 || !this.lookahead) return out;
    for (const f of this.lookahead(TMP_URL_BATCH * 4)) {
      if (out.length >= room) break;
      const hit = this.#cache.get(key(f.fileToken, extra));
      if (
        f.extra !== extra ||
        (hit && hit.until > this.#o.clock.now()) ||
        this.#notAhead.has(f.fileToken) ||
        out.includes(f.fileToken) ||
        batch.some((w) => w.fileToken === f.fileToken)
      )
        continue;
      out.push(f.fileToken);
    }
    return out;
  }

  #remember(fileToken: string, extra: string | null, url: string): void {
    this.#cache.set(key(fileToken, extra), {
      url,
      until: this.#o.clock.now() + TMP_URL_TTL_MS - RENEW_EARLY_MS,
    });
  }

  async #call(tokens: string[], extra: string | null, startedAt: number): Promise<Map<string, string>> {
    const q = new URLSearchParams();
    for (const t of tokens) q.append('file_tokens', t);
    if (extra) q.append('extra', extra);
    const token = await this.#o.client.token();
    let res: Dispatcher.ResponseData;
    try {
      res = await request(
        `${this.#o.client.baseUrl}/open-apis/drive/v1/medias/batch_get_tmp_download_url?${q}`,
        {
          dispatcher: this.#o.dispatcher,
          method: 'GET',
          headers: { authorization: `Bearer ${token}` },
          signal: this.#o.signal,
        },
      );
    } finally {
      this.#o.limiter.answered(startedAt, this.#o.clock.now());
    }
    let body: {
      code?: number;
      msg?: string;
      data?: { tmp_download_urls?: { file_token?: string; tmp_download_url?: string }[] };
    };
    try {
      body = (await res.body.json()) as typeof body;
    } catch (e) {
      throw new FeishuError(OPERATION, {
        httpStatus: res.statusCode,
        msg: 'the answer is not JSON',
        kind: 'protocol',
        cause: e,
      });
    }
    if (res.statusCode !== 200 || body.code !== 0) {
      throw new FeishuError(OPERATION, {
        httpStatus: res.statusCode,
        ...(body.code !== undefined ? { feishuCode: body.code } : {}),
        ...(body.msg !== undefined ? { msg: body.msg } : {}),
        headers: res.headers,
      });
    }
    const urls = new Map<string, string>();
    for (const u of body.data?.tmp_download_urls ?? []) {
      if (typeof u.file_token === 'string' && typeof u.tmp_download_url === 'string') {
        urls.set(u.file_token, u.tmp_download_url);
      }
    }
    return urls;
  }
}

function key(fileToken: string, extra: string | null): string {
  return `${fileToken}\n${extra ?? ''}`;
}
