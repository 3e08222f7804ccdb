import type { FeishuError } from '../feishu/errors.js';
import type { MediaRow } from '../inventory/media-queue.js';
import { calculateRetryDelay } from '../limits/backoff.js';
import { explainForbidden } from './download-disabled.js';
import type { Endpoint } from './endpoints.js';
import type { FileAttempt } from './file-attempt.js';
import { type FileResult, giveUp, park } from './file-result.js';
import type { RunContext } from './run-context.js';
import { tmpAnswer } from './tmp-answers.js';

/** Rate-limit answers tolerated per file per run before giving up on it until the next run. */
const MAX_RATE_LIMITED = 20;
/** A size mismatch or unreadable answer rarely fixes itself: one more try, then next run. */
const MAX_PROTOCOL = 1;
/** "Over the download limit, retry later" (5 QPS or 10,000 a day), see src/limits/day-spent.ts. */
const DOWNLOAD_LIMIT_CODE = 1061045;

/**
 * What a failed answer for the file leads to: `'retry'` (after the wait it calls for, already waited
 * out) or the file's result for this run. `token` is the one sent (invalidated after an auth error),
 * `url` the temporary URL fetched, if any.
 */
export async function onFailedAnswer(
  ctx: RunContext,
  f: FileAttempt,
  endpoint: Endpoint,
  error: FeishuError,
  sent: { token: string; url: string | undefined },
): Promise<'retry' | FileResult> {
  const { lane, row, paths } = f;
  let delayMs = 0;
  const viaTmp = endpoint.tmpUrl
    ? tmpAnswer(ctx, lane, row, error, { url: sent.url, extra: f.extra, renewed: f.renewed })
    : undefined;
  if (viaTmp?.type === 'renew') {
    f.renewed++;
    return 'retry';
  }
  if (viaTmp?.type === 'stop') return await park(ctx, row, paths.part);
  if (viaTmp?.type === 'back-off') {
    logRetry(ctx, row, error, viaTmp.delayMs);
    try {
      await ctx.clock.sleep(viaTmp.delayMs, ctx.signal);
    } catch {
      return await park(ctx, row, paths.part);
    }
    return 'retry';
  }
  switch (error.kind) {
    case 'auth':
      if (f.refreshed) return giveUp(ctx, row, paths.part, 'error', error);
      f.refreshed = true;
      ctx.client.invalidateToken(sent.token);
      return 'retry';
    case 'rate_limited':
      if (error.feishuCode === DOWNLOAD_LIMIT_CODE) {
        // 5 QPS or 10,000 a day exceeded, "retry later": spent only on our count or a sustained streak.
        const by = lane.daySpent.limited(lane.quota.usage());
        if (by) {
          ctx.spend(lane, by);
          // `auto` switched the lane to temporary URLs: go on through them.
          if (lane.endpoint !== endpoint && !lane.spent) return 'retry';
          return await park(ctx, row, paths.part);
        }
        delayMs = lane.daySpent.backoffMs(error.retryAfterMs, ctx.random);
        lane.limiter.pauseUntil(ctx.clock.now() + delayMs);
        break;
      }
      if (++f.rateLimited > MAX_RATE_LIMITED) return giveUp(ctx, row, paths.part, 'error', error);
      delayMs = calculateRetryDelay(f.rateLimited, error.retryAfterMs ?? 1000, { random: ctx.random });
      // Everyone on this endpoint waits: the limit is per app and API, not per file. This file
      // waits in the lane's gate, not in a sleep of its own, so the scheduler sees the lane is
      // served and gives the other workers files of the other lanes meanwhile.
      lane.limiter.pauseUntil(ctx.clock.now() + delayMs);
      logRetry(ctx, row, error, delayMs);
      if (!lane.gate.free) {
        // Another file of the lane waits for the same pause: this one would only hold a worker.
        lane.deferred.set(row.id, f.rateLimited);
        await park(ctx, row, paths.part);
        return { type: 'later' };
      }
      // The lane is served by this file from now on, not only once it asks for its slot.
      lane.gate.reserve(row.id);
      return 'retry';
    case 'temporary':
      if (++f.temporary > ctx.maxRetries) return giveUp(ctx, row, paths.part, 'error', error);
      delayMs = calculateRetryDelay(f.temporary, undefined, { random: ctx.random });
      break;
    case 'protocol':
      if (++f.protocol > MAX_PROTOCOL) return giveUp(ctx, row, paths.part, 'error', error);
      delayMs = calculateRetryDelay(f.protocol, undefined, { random: ctx.random });
      break;
    case 'permission':
    case 'bad_request': {
      const next = ctx.extras.candidates(row).find((e) => !f.extrasTried.has(e));
      if (next === undefined) {
        // A 403 is also what a document that forbids downloads answers: tell the two apart.
        const why = error.kind === 'permission' ? await explainForbidden(ctx, row, error) : error;
        return giveUp(ctx, row, paths.part, 'failed', why);
      }
      f.extrasTried.add(next);
      f.extra = next;
      return 'retry';
    }
    case 'not_found':
      return giveUp(ctx, row, paths.part, 'failed', error);
    case 'quota':
      // The tenant's monthly API quota (99991403): every endpoint counts against it, so the
      // whole run stops, never retried; what is on disk and in the inventory is kept.
      ctx.monthlyQuota(error);
      return await park(ctx, row, paths.part);
    default:
      if (endpoint.source !== 'media') {
        // A scope only this endpoint needs (whiteboards: board:whiteboard:node:read): its other
        // files would fail the same way, but media and the other endpoints can go on.
        lane.closed = true;
        return giveUp(ctx, row, paths.part, 'error', error);
      }
      // Bad credentials or a missing scope: every other file would fail the same way.
      ctx.stop('fatal', { code: error.code, message: `${error.message}. ${error.fix ?? ''}`.trim() });
      return await park(ctx, row, paths.part);
  }
  logRetry(ctx, row, error, delayMs);
  try {
    await ctx.clock.sleep(delayMs, ctx.signal);
  } catch {
    return await park(ctx, row, paths.part);
  }
  return 'retry';
}

function logRetry(ctx: RunContext, row: MediaRow, error: FeishuError, delayMs: number): void {
  ctx.log({
    level: 'info',
    event: 'download.retry',
    message: `Retrying ${row.file_token} in ${delayMs} ms: ${error.message}`,
    fileToken: row.file_token,
    kind: error.kind,
    delayMs,
  });
}
