import { FeishuError } from '../feishu/errors.js';
import type { MediaRow } from '../inventory/media-queue.js';
import { onFailedAnswer } from './failed-answer.js';
import { startAttempt } from './file-attempt.js';
import { type FileResult, giveUp, park } from './file-result.js';
import { finishFromDisk } from './finish-from-disk.js';
import { discardPart, resumePoint } from './part-file.js';
import { publishFile } from './publish-file.js';
import type { Lane, RunContext } from './run-context.js';
import { sendOnce } from './send-once.js';
import { onThrown } from './thrown-errors.js';

/** Requests that made progress without finishing (short ranges, restarts) per file per attempt. */
const MAX_AGAIN = 20;

/**
 * Downloads one media file to its place, with every retry the contract allows: Range resume after a
 * reset, one token refresh, the server's rate-limit pause, bounded exponential backoff (failed-answer.ts).
 * The row is `done` only once the file is fsynced and renamed into place.
 */
export async function downloadOne(ctx: RunContext, row: MediaRow): Promise<FileResult> {
  const lane: Lane = ctx.lanes[row.source] ?? ctx.lanes.media;
  const f = startAttempt(ctx, lane, row);
  const { paths, knownSize, version } = f;
  ctx.states.beginAttempt(row.id, new Date(ctx.clock.now()));
  try {
    for (;;) {
      if (ctx.halted() || lane.spent || lane.closed) return await park(ctx, row, paths.part);
      // The media lane may switch to temporary URLs mid-run (`download.via: auto`): read it per request.
      const endpoint = lane.endpoint;
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
      const sent = await sendOnce(ctx, f, endpoint, point, token);
      if (sent.type === 'park') return await park(ctx, row, paths.part);
      if (sent.type === 'switched') continue;
      const { outcome } = sent;
      // Any answer with bytes: the endpoint is serving again, a later 1061045 starts a new streak.
      if (outcome.type !== 'error') lane.daySpent.ok();
      if (outcome.type === 'complete') {
        if (f.extrasTried.size > 1) ctx.extras.needed(f.extra);
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
        if (++f.again > MAX_AGAIN)
          return giveUp(ctx, row, paths.part, 'error', againError(lane, row, 'the .part changed'));
        continue;
      }
      if (ctx.signal.aborted) return await park(ctx, row, paths.part);
      if (outcome.type === 'again') {
        if (++f.again > MAX_AGAIN)
          return giveUp(ctx, row, paths.part, 'error', againError(lane, row, outcome.reason));
        ctx.log({
          level: 'debug',
          event: 'download.again',
          message: outcome.reason,
          fileToken: row.file_token,
        });
        continue;
      }
      const next = await onFailedAnswer(ctx, f, endpoint, outcome.error, { token, url: sent.url });
      if (next !== 'retry') return next;
    }
  } catch (e) {
    return await onThrown(ctx, row, paths, e);
  }
}

function againError(lane: Lane, row: MediaRow, reason: string): FeishuError {
  return new FeishuError(lane.endpoint.operation(row.file_token), {
    msg: `too many incomplete answers (${reason})`,
    kind: 'protocol',
  });
}
