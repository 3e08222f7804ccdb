import { mkdir } from 'node:fs/promises';
import { Agent } from 'undici';
import { nullLogger } from '../events.js';
import { MediaQueue } from '../inventory/media-queue.js';
import { MediaStates } from '../inventory/media-states.js';
import { downloadOne } from './download-one.js';
import { ExtraChoice } from './extra-choice.js';
import type { FileResult } from './file-result.js';
import { cappedUsage, checkLimits, makeLanes } from './lanes.js';
import { linkAllDone } from './link-all.js';
import { asLocalFatal } from './local-errors.js';
import { planDownloads } from './plan.js';
import type { Lane, RunContext } from './run-context.js';
import type {
  DownloadOptions,
  DownloadProgress,
  DownloadSummary,
  FailureGroup,
  StopReason,
} from './types.js';

const STOP_PRIORITY: Record<StopReason, number> = {
  complete: 0,
  budget: 1,
  quota: 2,
  interrupted: 3,
  fatal: 4,
};
const MAX_EXAMPLES = 5;

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
  const summary: DownloadSummary = {
    stopReason: 'complete',
    downloaded: 0,
    bytesReceived: 0,
    bytesPublished: 0,
    requests: 0,
    failures: [],
    left: plan,
    quota: quota.usage(),
    quotas: cappedUsage(lanes),
    quotaSpent: [],
    durationMs: 0,
  };
  if (options.dryRun) return summary;

  const internal = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, internal.signal]) : internal.signal;
  const state: { reason: StopReason } = { reason: 'complete' };
  const stop = (reason: Exclude<StopReason, 'complete'>, fatal?: { code: string; message: string }): void => {
    if (STOP_PRIORITY[reason] > STOP_PRIORITY[state.reason]) state.reason = reason;
    if (fatal && !summary.fatal) summary.fatal = fatal;
    if (reason === 'fatal') internal.abort(new Error(fatal?.message ?? 'fatal error'));
  };
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
    spend: (lane: Lane) => {
      if (lane.spent) return;
      lane.spent = true;
      summary.quotaSpent.push(lane.endpoint.bucket);
      const u = lane.quota.usage();
      log({
        level: 'warn',
        event: 'download.quota.spent',
        message: `Today's ${lane.endpoint.bucket} calls are spent (${u.used}/${u.limit}); its files wait for the next run, the others go on.`,
        quota: u,
      });
    },
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
    stopping: () => state.reason !== 'complete',
    halted: () => state.reason !== 'complete' && state.reason !== 'budget',
  };

  const groups = new Map<string, FailureGroup>();
  const record = (row: { file_token: string; name: string | null }, r: FileResult): void => {
    if (r.type === 'done') {
      summary.downloaded++;
      summary.bytesPublished += r.bytes;
      progress.filesDone++;
    } else if (r.type === 'failed' || r.type === 'error') {
      progress.filesFailed++;
      const key = `${r.type}:${r.error.kind}`;
      let g = groups.get(key);
      if (!g) {
        g = { kind: r.error.kind, status: r.type, count: 0, fix: r.fix, examples: [] };
        groups.set(key, g);
      }
      g.count++;
      if (g.examples.length < MAX_EXAMPLES) {
        g.examples.push({ fileToken: row.file_token, name: row.name, message: r.error.message });
      }
    }
  };

  const queue = new MediaQueue(options.db, planOptions);
  const budget = options.budget ?? {};
  let started = 0;
  const takeNext = (): ReturnType<MediaQueue['next']> => {
    if (ctx.stopping()) return undefined;
    if (budget.maxDownloads !== undefined && started >= budget.maxDownloads) return stopFor('budget');
    if (budget.maxBytes !== undefined && ctx.counters.bytesReceived >= budget.maxBytes)
      return stopFor('budget');
    if (budget.deadline !== undefined && clock.now() >= budget.deadline) return stopFor('budget');
    for (;;) {
      const row = queue.next();
      // A spent endpoint's rows stay pending for tomorrow; the other endpoints carry on.
      const lane = row && (lanes[row.source] ?? lanes.media);
      if (lane && (lane.spent || lane.closed)) continue;
      if (row) started++;
      return row;
    }
  };
  const stopFor = (reason: 'budget'): undefined => {
    // A budget met exactly by the last file is still a complete run.
    if (queue.hasMore()) stop(reason);
    return undefined;
  };

  log({
    level: 'info',
    event: 'download.start',
    message: `Downloading ${plan.files} file(s) (${plan.bytesKnown} bytes known) at ${limits.qps}/s, ${summary.quota.remaining} request(s) left today.`,
    files: plan.files,
    quota: summary.quota,
  });
  const worker = async (): Promise<void> => {
    for (let row = takeNext(); row; row = takeNext()) {
      progress.inFlight++;
      try {
        record(row, await downloadOne(ctx, row));
      } catch (e) {
        // A bug or an unexpected error in one file must not lose the others: record it as retryable.
        stop('fatal', { code: 'DOWNLOAD_UNEXPECTED', message: (e as Error).message ?? String(e) });
      } finally {
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
  const stopReason = state.reason;
  if (stopReason !== 'fatal' && stopReason !== 'interrupted') {
    await linkAllDone(options.db, options.outputDir, log);
  }

  summary.stopReason = stopReason;
  summary.requests = ctx.counters.requests;
  summary.bytesReceived = ctx.counters.bytesReceived;
  summary.failures = [...groups.values()].sort((a, b) => b.count - a.count);
  summary.left = planDownloads(options.db, planOptions);
  summary.quota = quota.usage();
  summary.quotas = cappedUsage(lanes);
  summary.durationMs = clock.now() - startedAt;
  log({
    level: stopReason === 'complete' ? 'info' : 'warn',
    event: 'download.end',
    message: endMessage(summary),
    summary,
  });
  return summary;
}

function endMessage(s: DownloadSummary): string {
  const base = `Downloaded ${s.downloaded} file(s), ${s.bytesReceived} bytes in ${s.requests} request(s); ${s.left.files} left.`;
  switch (s.stopReason) {
    case 'quota': {
      const spent = s.quotas.filter((q) => s.quotaSpent.includes(q.bucket));
      const q = spent[0] ?? s.quota;
      const which = spent.map((u) => `${u.bucket} ${u.used}/${u.limit}`).join(', ') || `${q.used}/${q.limit}`;
      return `${base} The daily download quota is spent (${which}); run again after ${new Date(q.resetsAt).toISOString()}.`;
    }
    case 'budget':
      return `${base} Stopped at this run's budget.`;
    case 'interrupted':
      return `${base} Interrupted; partial files resume next run.`;
    case 'fatal':
      return `${base} Stopped: ${s.fatal?.message ?? 'fatal error'}`;
    default:
      return base;
  }
}
