import { FeishuError } from '../feishu/errors.js';
import type { Endpoint } from './endpoints.js';
import { type AttemptOutcome, fetchMedia } from './fetch-media.js';
import type { FileAttempt } from './file-attempt.js';
import type { ResumePoint } from './part-file.js';
import type { RunContext } from './run-context.js';

export type Sent =
  /** The run or the lane stopped before the request went out: the caller parks the file. */
  | { type: 'park' }
  /** The lane switched endpoints (`download.via: auto`) before the request went out: start over. */
  | { type: 'switched' }
  /** `url`: the temporary URL fetched, if any (an error on it may call for a new one). */
  | { type: 'answer'; outcome: AttemptOutcome; url: string | undefined };

/**
 * One request for the file: its temporary URL first when the lane fetches through them (batched, on
 * their own lane: tmp-urls.ts), then a start from the lane's gate and a call from its daily counter,
 * reserved right before sending so every request counts and none is counted twice.
 */
export async function sendOnce(
  ctx: RunContext,
  f: FileAttempt,
  endpoint: Endpoint,
  point: ResumePoint,
  token: string,
): Promise<Sent> {
  const { lane, row, knownSize, version } = f;
  let url: string | undefined;
  if (endpoint.tmpUrl && ctx.tmp) {
    try {
      url = await ctx.tmp.urls.url(row.file_token, f.extra);
    } catch (e) {
      if (ctx.signal.aborted || !(e instanceof FeishuError)) return { type: 'park' };
      // The batch call's own answer (a wrong `extra` is a 403 here): classified as any other.
      return { type: 'answer', outcome: { type: 'error', error: e }, url: undefined };
    }
  }
  let startedAt: number;
  try {
    startedAt = await lane.gate.acquire(row.id, ctx.signal);
  } catch {
    return { type: 'park' };
  }
  if (ctx.halted() || lane.spent || lane.closed) return { type: 'park' };
  if (lane.endpoint !== endpoint) return { type: 'switched' };
  if (!lane.quota.tryReserve()) {
    ctx.spend(lane, 'counter');
    // `auto` switched the lane to temporary URLs: go on through them.
    if (lane.endpoint !== endpoint && !lane.spent) return { type: 'switched' };
    return { type: 'park' };
  }
  ctx.counters.requests++;
  const outcome = await fetchMedia({
    ...(url !== undefined ? { url } : {}),
    onHeaders: () => lane.limiter.answered(startedAt, ctx.clock.now()),
    dispatcher: ctx.dispatcher,
    baseUrl: ctx.client.baseUrl,
    token,
    fileToken: row.file_token,
    extra: f.extra,
    paths: f.paths,
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
  return { type: 'answer', outcome, url };
}
