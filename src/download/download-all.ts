import { mkdir } from 'node:fs/promises';
import { Agent } from 'undici';
import { nullLogger } from '../events.js';
import { MediaQueue, type MediaRow } from '../inventory/media-queue.js';
import { MediaStates } from '../inventory/media-states.js';
import { asLocalFatal } from '../local-errors.js';
import { switchWhenSpent } from './auto-switch.js';
import { downloadOne } from './download-one.js';
import { endMessage, startMessage } from './end-message.js';
import { ExtraChoice } from './extra-choice.js';
import type { FileResult } from './file-result.js';
import { LaneScheduler } from './lane-scheduler.js';
import { cappedUsage, checkLimits, makeLanes, makeTmpPath, useTmpUrls } from './lanes.js';
import { linkAllDone } from './link-all.js';
import { pathSummary } from './path-summary.js';
import { emptyDownloadSummary, planDownloads } from './plan.js';
import { quotaStops } from './quota-stops.js';
import { ResultTally } from './result-tally.js';
import type { Lane, RunContext } from './run-context.js';
import { RunStop } from './run-stop.js';
import type { DownloadOptions, DownloadProgress, DownloadSummary } from './types.js';

/**
 * Downloads every media file the inventory still lacks (see `MediaQueue` for the order), within the
 * per-second and daily quotas and the run's budget. Returns a summary instead of throwing for what a
 * user can act on (quota spent, budget reached, interrupted, a full disk); see `DownloadSummary`.
 */
export async function downloadAll(options: DownloadOptions): Promise<DownloadSummary> {
  const { limits } = options;
  checkLimits(limits);
  const clock = options.clock ?? options.client.clock;
  const log = options.log ?? nullLogger;
  const startedAt = clock.now();
  const lanes = makeLanes(options, clock);
  const quota = lanes.media.quota;
  const skipSources = options.skipSources ?? [];
  const planOptions = { retryFailed: options.retryFailed ?? false, skipSources };
  const plan = planDownloads(options.db, planOptions);
  const summary = emptyDownloadSummary(plan, quota.usage(), cappedUsage(lanes));
  if (options.dryRun) return summary;

  const run = new RunStop(summary);
  const signal = options.signal ? AbortSignal.any([options.signal, run.signal]) : run.signal;
  const { stop } = run;
  const onUserAbort = (): void => stop('interrupted');
  options.signal?.addEventListener('abort', onUserAbort, { once: true });
  if (options.signal?.aborted) stop('interrupted');

  try {
    await mkdir(options.outputDir, { recursive: true });
  } catch (e) {
    const fatal = asLocalFatal(e, options.outputDir);
    if (!fatal) throw e;
    summary.stopReason = 'fatal';
    summary.fatal = { code: fatal.code, message: fatal.message };
    return summary;
  }

  const dispatcher = new Agent({
    connections: limits.concurrency,
    headersTimeout: 60_000,
    // A stalled body is a temporary failure: the `.part` keeps what came and the retry resumes.
    bodyTimeout: 60_000,
  });
  const progress: DownloadProgress = {
    filesTotal: plan.files,
    filesDone: 0,
    filesFailed: 0,
    bytesTotalKnown: plan.bytesKnown,
    bytesReceived: 0,
    inFlight: 0,
    requests: 0,
  };
  let lastProgressAt = 0;
  const report = (force: boolean): void => {
    if (!options.onProgress) return;
    const now = clock.now();
    if (!force && now - lastProgressAt < 200) return;
    lastProgressAt = now;
    progress.requests = ctx.counters.requests;
    progress.bytesReceived = ctx.counters.bytesReceived;
    options.onProgress({ ...progress });
  };
  const ctx: RunContext = {
    client: options.client,
    db: options.db,
    outputDir: options.outputDir,
    dispatcher,
    limiter: lanes.media.limiter,
    quota,
    lanes,
    // A spent lane wakes the workers waiting on it, so they take another lane's files.
    ...quotaStops(summary, log, stop, () => run.onStop()),
    states: new MediaStates(options.db),
    extras: new ExtraChoice(options.db),
    clock,
    log,
    signal,
    maxRetries: options.maxRetries ?? 5,
    random: options.random ?? Math.random,
    counters: { requests: 0, bytesReceived: 0 },
    onBytes: (n) => {
      ctx.counters.bytesReceived += n;
      report(false);
    },
    stop,
    stopping: () => run.reason !== 'complete',
    halted: () => run.reason !== 'complete' && run.reason !== 'budget',
    byDocument: options.byDocument !== false,
  };

  // `auto`: once the direct media day is spent, media goes on through temporary URLs instead.
  switchWhenSpent(ctx, lanes.media);
  ctx.tmp = makeTmpPath(options, clock, {
    dispatcher,
    signal,
    onRequest: () => {
      ctx.counters.requests++;
    },
  });
  if (ctx.tmp?.via === 'tmp-url') useTmpUrls(lanes.media, ctx.tmp);

  const tally = new ResultTally(summary, progress);

  // One queue per lane, each in the documented order; the scheduler gives a worker the next file of a
  // lane that can start now, so a file waits for its own endpoint's pace and counter only.
  const work = Object.values(lanes).map((lane, i) => ({
    lane,
    queue: new MediaQueue(options.db, { ...planOptions, source: lane.endpoint.source, sameRun: i > 0 }),
  }));
  const scheduler = new LaneScheduler(work, () => ctx.stopping());
  // A batch call for temporary URLs asks for the next media of the queue too (up to 5 a call).
  const mediaQueue = work.find((w) => w.lane === lanes.media)?.queue;
  if (ctx.tmp && mediaQueue) {
    ctx.tmp.urls.lookahead = (n) =>
      mediaQueue.peek(n).map((r) => ({ fileToken: r.file_token, extra: ctx.extras.first(r) }));
  }
  run.onStop = () => scheduler.wake();
  const budget = options.budget ?? {};
  let started = 0;
  const overBudget = (): boolean =>
    (budget.maxDownloads !== undefined && started >= budget.maxDownloads) ||
    (budget.maxBytes !== undefined && ctx.counters.bytesReceived >= budget.maxBytes) ||
    (budget.deadline !== undefined && clock.now() >= budget.deadline);
  const takeNext = async (): Promise<{ row: MediaRow; lane: Lane } | undefined> => {
    const next = await scheduler.next(() => {
      if (overBudget()) return false;
      started++;
      return true;
    });
    if (!next && !ctx.stopping() && overBudget()) return stopFor('budget');
    return next;
  };
  const stopFor = (reason: 'budget'): undefined => {
    // A budget met exactly by the last file is still a complete run.
    if (scheduler.hasMore()) stop(reason);
    return undefined;
  };

  log({
    level: 'info',
    event: 'download.start',
    message: startMessage(plan, limits.qps, summary.quota.remaining),
    files: plan.files,
    quota: summary.quota,
  });
  const worker = async (): Promise<void> => {
    for (let next = await takeNext(); next; next = await takeNext()) {
      const { row, lane } = next;
      // Object storage without local copies: wait until uploads leave room on disk for this file.
      const reservation = options.staging ? await options.staging.admit(row, signal) : undefined;
      if (options.staging && reservation === undefined) {
        scheduler.done(row, lane, true);
        if (!ctx.stopping()) stop(signal.aborted ? 'interrupted' : 'budget');
        return;
      }
      progress.inFlight++;
      let later = false;
      let result: FileResult | undefined;
      try {
        result = await downloadOne(ctx, row);
        later = result.type === 'later';
        tally.record(row, result);
      } catch (e) {
        // A bug or an unexpected error in one file must not lose the others: record it as retryable.
        stop('fatal', { code: 'DOWNLOAD_UNEXPECTED', message: (e as Error).message ?? String(e) });
      } finally {
        if (reservation !== undefined) options.staging?.finished(reservation, row, result);
        scheduler.done(row, lane, later);
        progress.inFlight--;
        report(true);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: limits.concurrency }, worker));
  } finally {
    options.signal?.removeEventListener('abort', onUserAbort);
    await dispatcher.destroy().catch(() => undefined);
  }
  // A spent counter left files for tomorrow: the run ends with 'quota' unless something worse happened.
  if (summary.quotaSpent.length > 0) stop('quota');
  const stopReason = run.reason;
  if (stopReason !== 'fatal' && stopReason !== 'interrupted' && options.byDocument !== false) {
    await linkAllDone(options.db, options.outputDir, log);
  }

  summary.stopReason = stopReason;
  summary.requests = ctx.counters.requests;
  summary.bytesReceived = ctx.counters.bytesReceived;
  summary.failures = tally.failures();
  summary.left = planDownloads(options.db, planOptions);
  summary.quota = quota.usage();
  summary.quotas = cappedUsage(lanes);
  if (ctx.tmp?.directQuota) summary.quotas.unshift(ctx.tmp.directQuota.usage());
  summary.via = limits.via ?? 'direct';
  summary.paths = pathSummary(
    options.db,
    { now: clock.now(), timeZone: limits.dayBoundaryTimeZone },
    summary,
    ctx.tmp,
  );
  summary.durationMs = clock.now() - startedAt;
  log({
    level: stopReason === 'complete' ? 'info' : 'warn',
    event: 'download.end',
    message: endMessage(summary),
    summary,
  });
  return summary;
}
