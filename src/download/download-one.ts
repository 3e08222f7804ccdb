import { stat } from 'node:fs/promises';
import { FeishuError } from '../feishu/errors.js';
import type { MediaRow } from '../inventory/media-queue.js';
import { calculateRetryDelay } from '../limits/backoff.js';
import type { Endpoint } from './endpoints.js';
import { fetchMedia } from './fetch-media.js';
import { asLocalFatal, LocalFatalError } from './local-errors.js';
import {
  discardPart,
  type PartPaths,
  partPaths,
  type ResumePoint,
  resumePoint,
  sealCompletePart,
} from './part-file.js';
import { publishFile } from './publish-file.js';
import type { Lane, RunContext } from './run-context.js';

export type FileResult =
  | { type: 'done'; bytes: number; path: string }
  | { type: 'failed' | 'error'; error: FeishuError; fix: string }
  /** Stopped by the run (quota, interrupt, fatal): the `.part` is kept and the row is `partial`/`pending`. */
  | { type: 'parked' };

/** Rate-limit answers tolerated per file per run before giving up on it until the next run. */
const MAX_RATE_LIMITED = 20;
/** Requests that made progress without finishing (short ranges, restarts) per file per attempt. */
const MAX_AGAIN = 20;
/** A size mismatch or unreadable answer rarely fixes itself: one more try, then next run. */
const MAX_PROTOCOL = 1;

/** Fix sentences for media, more precise than the generic ones. */
export const MEDIA_FIXES: Record<string, string> = {
  permission:
    'The app cannot read this file: add the app as a collaborator of the document (or base) that contains it, then run with --retry-failed.',
  not_found:
    'The file was deleted from Feishu (or its token is stale): crawl again; copies already saved are kept.',
  bad_request:
    'The file sits in an advanced-permission base and needs a valid `extra`: crawl the base again with an app that can manage it, then run with --retry-failed.',
  temporary: 'Feishu or the network kept failing for this file; the next run tries it again.',
  protocol:
    'The server answered something other than the file (wrong size or a JSON error); the next run tries again, and a crawl refreshes the expected size.',
  rate_limited:
    'Feishu kept rate-limiting this file; the next run tries it again (lower --qps if it persists).',
  auth: 'The access token was refused twice; check the app credentials, then run again.',
};

/** Where drive files and whiteboards need other words than media (the rest is shared). */
const SOURCE_FIXES: Partial<Record<MediaRow['source'], Record<string, string>>> = {
  drive_file: {
    permission:
      'The app cannot read this drive file: share the file (or its folder or wiki space) with the app, then run with --retry-failed.',
    bad_request:
      'Feishu refused the download request for this drive file; run with --retry-failed, and report it if it persists.',
    credentials:
      'The app may not download drive files: enable a drive read scope in the developer console and publish a new app version; the drive files wait for the next run.',
  },
  board: {
    permission:
      'The app cannot read this whiteboard: add the app as a collaborator of the document that contains it (scope board:whiteboard:node:read), then run with --retry-failed.',
    not_found:
      'The whiteboard was deleted (or its document changed): crawl again; images already saved are kept.',
    bad_request:
      'Feishu refused to export this whiteboard; run with --retry-failed, and report it if it persists.',
    credentials:
      'The app may not export whiteboards: enable the board:whiteboard:node:read scope in the developer console and publish a new app version; the whiteboards wait for the next run.',
  },
};

/**
 * Downloads one media file to its place, with every retry the contract allows: Range resume after a
 * reset, one token refresh, the server's rate-limit pause, bounded exponential backoff. The row is
 * `done` only once the file is fsynced and renamed into place.
 */
export async function downloadOne(ctx: RunContext, row: MediaRow): Promise<FileResult> {
  const lane: Lane = ctx.lanes[row.source] ?? ctx.lanes.media;
  const { endpoint } = lane;
  const paths = partPaths(ctx.outputDir, row.file_token);
  const knownSize = row.size ?? undefined;
  let refreshed = false;
  let temporary = 0;
  let rateLimited = 0;
  let protocol = 0;
  let again = 0;
  // The `extra` to send (see ExtraChoice), then, after a 400/403, those of its other references:
  // a file seen in several tables carries one `extra` per table and the row keeps only the last seen.
  let extra = ctx.extras.first(row);
  const extrasTried = new Set<string | null>([extra]);
  ctx.states.beginAttempt(row.id, new Date(ctx.clock.now()));
  try {
    for (;;) {
      if (ctx.halted() || lane.spent || lane.closed) return await park(ctx, row, paths.part);
      const point = await resumePoint(paths, knownSize);
      if (knownSize !== undefined && point.total === knownSize && point.have === knownSize) {
        // Every byte is already here (the previous attempt stopped before the rename): asking with
        // `Range: bytes=<size>-` would cost a call and a 416. (With no size in the inventory, that
        // 416 is how we learn it: see 'whole-on-disk' below.)
        const done = await finishFromDisk(ctx, row, endpoint, paths, point, knownSize, 'without a request');
        if (done) return done;
      }
      const token = await ctx.client.token();
      try {
        await lane.limiter.acquire(ctx.signal);
      } catch {
        return await park(ctx, row, paths.part);
      }
      // Reserved right before sending, so every request counts and none is counted twice.
      if (ctx.halted() || lane.spent || lane.closed) return await park(ctx, row, paths.part);
      if (!lane.quota.tryReserve()) {
        ctx.spend(lane);
        return await park(ctx, row, paths.part);
      }
      ctx.counters.requests++;
      const outcome = await fetchMedia({
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
        signal: ctx.signal,
        onBytes: ctx.onBytes,
        endpoint,
      });
      if (outcome.type === 'complete') {
        if (extrasTried.size > 1) ctx.extras.needed(extra);
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
      switch (error.kind) {
        case 'auth':
          if (refreshed) return giveUp(ctx, row, paths.part, 'error', error);
          refreshed = true;
          ctx.client.invalidateToken(token);
          continue;
        case 'rate_limited':
          if (++rateLimited > MAX_RATE_LIMITED) return giveUp(ctx, row, paths.part, 'error', error);
          delayMs = calculateRetryDelay(rateLimited, error.retryAfterMs ?? 1000, { random: ctx.random });
          // Everyone on this endpoint waits: the limit is per app and API, not per file.
          lane.limiter.pauseUntil(ctx.clock.now() + delayMs);
          break;
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
          const next = ctx.extras.candidates(row.id).find((e) => !extrasTried.has(e));
          if (next === undefined) return giveUp(ctx, row, paths.part, 'failed', error);
          extrasTried.add(next);
          extra = next;
          continue;
        }
        case 'not_found':
          return giveUp(ctx, row, paths.part, 'failed', error);
        case 'quota':
          // Feishu says the day's downloads of this endpoint are spent (1061045), whatever our
          // own count says; the other endpoints have their own counters and go on.
          ctx.spend(lane);
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
      ctx.log({
        level: 'info',
        event: 'download.retry',
        message: `Retrying ${row.file_token} in ${delayMs} ms: ${error.message}`,
        fileToken: row.file_token,
        kind: error.kind,
        delayMs,
      });
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
    if ((e as { kind?: string }).kind === 'credentials') {
      ctx.stop('fatal', { code: (e as FeishuError).code, message: (e as FeishuError).message });
      return { type: 'parked' };
    }
    if (ctx.signal.aborted) return await park(ctx, row, paths.part);
    throw e;
  }
}

/**
 * Publishes a `.part` that holds all `size` bytes without receiving them again: fsynced and hashed
 * from disk, named from the server's name and type its sidecar kept. Undefined (nothing touched) when
 * the `.part` is not exactly `size` bytes.
 */
async function finishFromDisk(
  ctx: RunContext,
  row: MediaRow,
  endpoint: Endpoint,
  paths: PartPaths,
  point: ResumePoint,
  size: number,
  how: string,
): Promise<FileResult | undefined> {
  const sealed = await sealCompletePart(paths, size);
  if (!sealed) return undefined;
  ctx.log({
    level: 'debug',
    event: 'download.from_disk',
    message: `${row.file_token}: the .part already holds all ${size} bytes; publishing it ${how}`,
    fileToken: row.file_token,
  });
  const { fileName, mimeType } = point;
  return await publishFile(ctx, row, endpoint, paths, { ...sealed, fileName, mimeType });
}

async function park(ctx: RunContext, row: MediaRow, part: string): Promise<FileResult> {
  const size = await stat(part).then(
    (s) => s.size,
    () => 0,
  );
  ctx.states.park(row.id, size);
  return { type: 'parked' };
}

async function giveUp(
  ctx: RunContext,
  row: MediaRow,
  part: string,
  status: 'failed' | 'error',
  error: FeishuError,
): Promise<FileResult> {
  await park(ctx, row, part);
  const fix =
    SOURCE_FIXES[row.source]?.[error.kind] ??
    MEDIA_FIXES[error.kind] ??
    error.fix ??
    'Run again; if it persists, report it with this message.';
  const record = { kind: error.kind, code: error.code, message: error.message, fix };
  if (status === 'failed') ctx.states.failed(row.id, record);
  else ctx.states.error(row.id, record);
  ctx.log({
    level: 'warn',
    event: status === 'failed' ? 'download.file.failed' : 'download.file.error',
    message: `${row.file_token}${row.name ? ` (${row.name})` : ''}: ${error.message}. ${fix}`,
    fileToken: row.file_token,
    kind: error.kind,
  });
  return { type: status, error, fix };
}

function againError(lane: Lane, row: MediaRow, reason: string): FeishuError {
  return new FeishuError(lane.endpoint.operation(row.file_token), {
    msg: `too many incomplete answers (${reason})`,
    kind: 'protocol',
  });
}
