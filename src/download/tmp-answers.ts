import type { FeishuError } from '../feishu/errors.js';
import type { MediaRow } from '../inventory/media-queue.js';
import type { Lane, RunContext } from './run-context.js';

/** Temporary URLs refused by their host (expired) and fetched again by a new batch call, per file. */
const MAX_RENEWED = 3;

export type TmpAnswer =
  /** Ask for a new URL (a new batch call) and continue the `.part`. */
  | { type: 'renew' }
  | { type: 'back-off'; delayMs: number }
  /** The path is stopped for the day (the lane is spent): park the file. */
  | { type: 'stop' };

/**
 * What an error on the temporary-URL path calls for beyond the usual classification, if anything.
 * `url` is the URL fetched, undefined when the error is the batch call's own answer.
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/media/batch_get_tmp_download_url
 */
export function tmpAnswer(
  ctx: RunContext,
  lane: Lane,
  row: MediaRow,
  error: FeishuError,
  at: { url: string | undefined; extra: string | null; renewed: number },
): TmpAnswer | undefined {
  const tmp = ctx.tmp;
  if (!tmp) return undefined;
  if (at.url !== undefined && expired(error) && at.renewed < MAX_RENEWED) {
    // The host refused the URL (expired after 24 h, or revoked): a new batch call, and the `.part`
    // continues from where it stopped.
    tmp.urls.forget(row.file_token, at.extra);
    ctx.log({
      level: 'info',
      event: 'download.tmp_url.renew',
      message: `${row.file_token}: the temporary URL was refused (${error.message}); asking for a new one`,
      fileToken: row.file_token,
    });
    return { type: 'renew' };
  }
  // 1061045 and 99991400 are both rate-limit answers; 'quota' (the monthly quota) stops the run as usual.
  if (error.kind !== 'rate_limited') return undefined;
  // Whether Feishu meters temporary URLs is not documented. A refusal backs off (the files in flight
  // all meet the same pause); refusals that go on, with no success between, for as long as a direct
  // day needs to be taken as spent (limits.dailyCapBackoffMinutes), stop the path for the day. It has
  // no counter of its own to say so sooner: Feishu documents no daily figure for it.
  if (tmp.daySpent.limited({ used: 0, limit: Number.MAX_SAFE_INTEGER })) {
    const minutes = Math.round(tmp.daySpent.limitedForMs() / 60_000);
    ctx.log({
      level: 'warn',
      event: 'download.tmp_url.stopped',
      message: `Feishu kept refusing temporary-URL downloads for ${minutes} min of back-off (${error.message}); media through temporary URLs stops for today, the others go on. See "Past 10,000 a day" in the README.`,
      fileToken: row.file_token,
    });
    tmp.stopped = true;
    ctx.spend(lane, 'server');
    return { type: 'stop' };
  }
  const delayMs = tmp.daySpent.backoffMs(error.retryAfterMs, ctx.random);
  // The refusal came from the batch call (no URL yet) or from the download host: that one waits.
  if (at.url === undefined) tmp.urls.pauseUntil(ctx.clock.now() + delayMs);
  else lane.limiter.pauseUntil(ctx.clock.now() + delayMs);
  return { type: 'back-off', delayMs };
}

/** An answer of the download host that a new URL may cure: 403/410 or a Feishu JSON error. */
function expired(error: FeishuError): boolean {
  if (error.kind === 'rate_limited' || error.kind === 'quota') return false;
  return error.httpStatus === 403 || error.httpStatus === 410 || error.feishuCode !== undefined;
}
