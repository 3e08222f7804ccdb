import { LoginError } from '../auth/errors.js';
import { FeishuError } from '../feishu/errors.js';
import type { MediaRow } from '../inventory/media-queue.js';
import { calculateRetryDelay } from '../limits/backoff.js';
import { explainForbidden } from './download-disabled.js';
import { type AttemptOutcome, fetchMedia } from './fetch-media.js';
import { type FileResult, giveUp, park } from './file-result.js';
import { finishFromDisk } from './finish-from-disk.js';
import { asLocalFatal, LocalFatalError } from './local-errors.js';
import { discardPart, partPaths, resumePoint } from './part-file.js';
import { publishFile } from './publish-file.js';
import type { Lane, RunContext } from './run-context.js';
import { tmpAnswer } from './tmp-answers.js';

/** Rate-limit answers tolerated per file per run before giving up on it until the next run. */
const MAX_RATE_LIMITED = 20;
/** Requests that made progress without finishing (short ranges, restarts) per file per attempt. */
const MAX_AGAIN = 20;
/** A size mismatch or unreadable answer rarely fixes itself: one more try, then next run. */
const MAX_PROTOCOL = 1;
/** "Over the download limit, retry later" (5 QPS or 10,000 a day), see src/limits/day-spent.ts. */
const DOWNLOAD_LIMIT_CODE = 1061045;

/**
 * Downloads one media file to its place, with every retry the contract allows: Range resume after a
 * reset, one token refresh, the server's rate-limit pause, bounded exponential backoff. The row is
 * `done` only once the file is fsynced and renamed into place.
 */
export async function downloadOne(ctx: RunContext, row: MediaRow): Promise<FileResult> {
  const lane: Lane = ctx.lanes[row.source] ?? ctx.lanes.media;
  // The media lane may switch to temporary URLs mid-run (`download.via: auto`): read it per request.
  let endpoint = lane.endpoint;
  const paths = partPaths(ctx.outputDir, row.file_token);
  const knownSize = row.size ?? undefined;
  // A drive file's version (its token outlives uploads): a `.part` of another version is not continued.
  const version = row.remote_version ?? undefined;
  let refreshed = false;
  let temporary = 0;
  // Carried over when the file was sent back to its lane's queue after a rate-limit answer (`later`).
  let rateLimited = lane.deferred.get(row.id) ?? 0;
  let protocol = 0;
  let again = 0;
  let renewed = 0;
  // The `extra` to send (see ExtraChoice), then, after a 400/403, those of its other references:
  // a file seen in several tables carries one `extra` per table and the row keeps only the last seen.
  let extra = ctx.extras.first(row);
  const extrasTried = new Set<string | null>([extra]);
  ctx.states.beginAttempt(row.id, new Date(ctx.clock.now()));
  try {
    for (;;) {
      if (ctx.halted() || lane.spent || lane.closed) return await park(ctx, row, paths.part);
      endpoint = lane.endpoint;
      // The listed size is a hint (fetch-media.ts): a `.part` whose sidecar names another size is kept,
      // and the server's answer to its Range decides (206 continues it, a 416 of another length drops
      // it). The version must still match. Finished without asking only when both sizes agree.
      const point = await resumePoint(paths, undefined, version);
      if (knownSize !== undefined && point.total === knownSize && point.have === knownSize) {
        // Every byte is already here (the previous attempt stopped before the rename): asking with
        // `Range: bytes=<size>-` would cost a call and a 416. (With no size in the inventory, that
        // 416 is how we learn it: see 'whole-on-disk' below.)
        const done = await finishFromDisk(ctx, row, endpoint, paths, point, knownSize, 'without a request');
        if (done) return done;
      }
      const token = await ctx.client.token();
      // Through a temporary URL: asked for first (batched, on its own lane: tmp-urls.ts).
      let url: string | undefined;
      let outcome: AttemptOutcome | undefined;
      if (endpoint.tmpUrl && ctx.tmp) {
        try {
          url = await ctx.tmp.urls.url(row.file_token, extra);
        } catch (e) {
          if (ctx.signal.aborted || !(e instanceof FeishuError)) return await park(ctx, row, paths.part);
          // The batch call's own answer (a wrong `extra` is a 403 here): classified as any other.
          outcome = { type: 'error', error: e };
        }
      }
      if (!outcome) {
        let startedAt: number;
        try {
          startedAt = await lane.gate.acquire(row.id, ctx.signal);
        } catch {
          return await park(ctx, row, paths.part);
        }
        // Reserved right before sending, so every request counts and none is counted twice.
        if (ctx.halted() || lane.spent || lane.closed) return await park(ctx, row, paths.part);
        if (lane.endpoint !== endpoint) continue;
        if (!lane.quota.tryReserve()) {
          ctx.spend(lane, 'counter');
          // `auto` switched the lane to temporary URLs: go on through them.
          if (lane.endpoint !== endpoint && !lane.spent) continue;
          return await park(ctx, row, paths.part);
        }
        ctx.counters.requests++;
        outcome = await fetchMedia({
          ...(url !== undefined ? { url } : {}),
          onHeaders: () => lane.limiter.answered(startedAt, ctx.clock.now()),
          dispatcher: ctx.dispatcher,
          baseUrl: ctx.client.baseUrl,
          token,
          fileToken: row.file_token,
          extra,
          paths,
          have: point.have,
          ...(point.total !== undefined || knownSize !== undefined
            ? { expectedTotal: (point.total ?? knownSize)! }
            : {}),
          ...(knownSize !== undefined ? { knownSize } : {}),
          ...(version !== undefined ? { version } : {}),
          signal: ctx.signal,
          onBytes: ctx.onBytes,
          endpoint,
          onAnswer: ctx.client.shapes && ((a) => ctx.client.shapes?.record(endpoint.bucket, a)),
        });
      }
      // Any answer with bytes: the endpoint is serving again, a later 1061045 starts a new streak.
      if (outcome.type !== 'error') lane.daySpent.ok();
      if (outcome.type === 'complete') {
        if (extrasTried.size > 1) ctx.extras.needed(extra);
        if (endpoint.tmpUrl && ctx.tmp) ctx.tmp.daySpent.ok();
        if (knownSize !== undefined && outcome.bytes !== knownSize) {
          ctx.log({
            level: 'info',
            event: 'download.size_differs',
            message: `${row.file_token}: the listing says ${knownSize} bytes, the server sent ${outcome.bytes} (complete by its own headers); kept, and counted in status`,
            fileToken: row.file_token,
          });
        }
        return await publishFile(ctx, row, endpoint, paths, outcome);
      }
      if (outcome.type === 'whole-on-disk') {
        // The 416 counts for this decision only: no name, type or `extra` is learnt from it.
        const done = await finishFromDisk(
          ctx,
          row,
          endpoint,
          paths,
          point,
          outcome.bytes,
          `after a 416 saying the file is ${outcome.bytes} bytes`,
        );
        if (done) return done;
        // The .part is no longer what was asked about (changed under us): start over.
        await discardPart(paths);
        if (++again > MAX_AGAIN)
          return giveUp(ctx, row, paths.part, 'error', againError(lane, row, 'the .part changed'));
        continue;
      }
      if (ctx.signal.aborted) return await park(ctx, row, paths.part);
      if (outcome.type === 'again') {
        if (++again > MAX_AGAIN)
          return giveUp(ctx, row, paths.part, 'error', againError(lane, row, outcome.reason));
        ctx.log({
          level: 'debug',
          event: 'download.again',
          message: outcome.reason,
          fileToken: row.file_token,
        });
        continue;
      }
      const error = outcome.error;
      let delayMs = 0;
      const viaTmp = endpoint.tmpUrl ? tmpAnswer(ctx, lane, row, error, { url, extra, renewed }) : undefined;
      if (viaTmp?.type === 'renew') {
        renewed++;
        continue;
      }
      if (viaTmp?.type === 'stop') return await park(ctx, row, paths.part);
      if (viaTmp?.type === 'back-off') {
        logRetry(ctx, row, error, viaTmp.delayMs);
        try {
          await ctx.clock.sleep(viaTmp.delayMs, ctx.signal);
        } catch {
          return await park(ctx, row, paths.part);
        }
        continue;
      }
      switch (error.kind) {
        case 'auth':
          if (refreshed) return giveUp(ctx, row, paths.part, 'error', error);
          refreshed = true;
          ctx.client.invalidateToken(token);
          continue;
        case 'rate_limited':
          if (error.feishuCode === DOWNLOAD_LIMIT_CODE) {
            // 5 QPS or 10,000 a day exceeded, "retry later": spent only on our count or a sustained streak.
            const by = lane.daySpent.limited(lane.quota.usage());
            if (by) {
              ctx.spend(lane, by);
              // `auto` switched the lane to temporary URLs: go on through them.
              if (lane.endpoint !== endpoint && !lane.spent) continue;
              return await park(ctx, row, paths.part);
            }
            delayMs = lane.daySpent.backoffMs(error.retryAfterMs, ctx.random);
            lane.limiter.pauseUntil(ctx.clock.now() + delayMs);
            break;
          }
          if (++rateLimited > MAX_RATE_LIMITED) return giveUp(ctx, row, paths.part, 'error', error);
          delayMs = calculateRetryDelay(rateLimited, error.retryAfterMs ?? 1000, { random: ctx.random });
          // Everyone on this endpoint waits: the limit is per app and API, not per file. This file
          // waits in the lane's gate, not in a sleep of its own, so the scheduler sees the lane is
          // served and gives the other workers files of the other lanes meanwhile.
          lane.limiter.pauseUntil(ctx.clock.now() + delayMs);
          logRetry(ctx, row, error, delayMs);
          if (!lane.gate.free) {
            // Another file of the lane waits for the same pause: this one would only hold a worker.
            lane.deferred.set(row.id, rateLimited);
            await park(ctx, row, paths.part);
            return { type: 'later' };
          }
          // The lane is served by this file from now on, not only once it asks for its slot.
          lane.gate.reserve(row.id);
          continue;
        case 'temporary':
          if (++temporary > ctx.maxRetries) return giveUp(ctx, row, paths.part, 'error', error);
          delayMs = calculateRetryDelay(temporary, undefined, { random: ctx.random });
          break;
        case 'protocol':
          if (++protocol > MAX_PROTOCOL) return giveUp(ctx, row, paths.part, 'error', error);
          delayMs = calculateRetryDelay(protocol, undefined, { random: ctx.random });
          break;
        case 'permission':
        case 'bad_request': {
          const next = ctx.extras.candidates(row).find((e) => !extrasTried.has(e));
          if (next === undefined) {
            // A 403 is also what a document that forbids downloads answers: tell the two apart.
            const why = error.kind === 'permission' ? await explainForbidden(ctx, row, error) : error;
            return giveUp(ctx, row, paths.part, 'failed', why);
          }
          extrasTried.add(next);
          extra = next;
          continue;
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
    }
  } catch (e) {
    const fatal = e instanceof LocalFatalError ? e : asLocalFatal(e, ctx.outputDir);
    if (fatal) {
      ctx.stop('fatal', { code: fatal.code, message: fatal.message });
      await park(ctx, row, paths.part).catch(() => undefined);
      return { type: 'parked' };
    }
    if (e instanceof LoginError) {
      // The user's login ended: every other file would fail the same way.
      ctx.stop('fatal', { code: e.code, message: `${e.message} ${e.fix}` });
      await park(ctx, row, paths.part).catch(() => undefined);
      return { type: 'parked' };
    }
    if ((e as { kind?: string }).kind === 'credentials') {
      const err = e as FeishuError;
      ctx.stop('fatal', { code: err.code, message: `${err.message}. ${err.fix ?? ''}`.trim() });
      return { type: 'parked' };
    }
    if (ctx.signal.aborted) return await park(ctx, row, paths.part);
    throw e;
  }
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

function againError(lane: Lane, row: MediaRow, reason: string): FeishuError {
  return new FeishuError(lane.endpoint.operation(row.file_token), {
    msg: `too many incomplete answers (${reason})`,
    kind: 'protocol',
  });
}
