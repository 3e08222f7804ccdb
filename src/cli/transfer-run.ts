import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ViewSummary } from '../archive/view/render-view.js';
import { expiryWarning } from '../auth/expiry.js';
import { archiveOf } from '../config/types.js';
import type { CrawlSummary } from '../crawl/index.js';
import { type DownloadSummary, downloadAll, planDownloads } from '../download/index.js';
import type { FeishuClient } from '../feishu/client.js';
import type { ShapeRecorder } from '../feishu/shapes/recorder.js';
import { recordApiCalls } from '../inventory/runs.js';
import { readStatus } from '../inventory/status.js';
import { storedLocallyOrInBucket } from '../inventory/target-staging.js';
import { apiCallCounts } from './api-calls.js';
import { makeClient } from './client-factory.js';
import { downloadLimits, skippedSources } from './download-options.js';
import { listPlanned } from './dry-run-list.js';
import { ExitCode } from './exit-codes.js';
import { FileFailures } from './file-failures.js';
import { LiveCounts } from './live-counts.js';
import type { GlobalArgs, TransferArgs } from './options.js';
import { preflight } from './preflight.js';
import type { Outcome, Session } from './session.js';
import { exitCodeFor, type RunReport, renderSummary } from './summary.js';
import { todayIn } from './today.js';
import { exitCodeWithUpload, prepareTarget, startStaging, uploadStep } from './upload-step.js';

export type Mode = 'backup' | 'crawl' | 'download';
export type Args = GlobalArgs & TransferArgs;

/** backup = crawl + download; crawl and download are its halves. Loaded lazily by commands/transfer.ts. */
export async function transfer(mode: Mode, args: Args, s: Session): Promise<Outcome> {
  // Each step's code is loaded only when the run takes that step: a download-only run never loads the
  // crawl, the sources or the view renderer (peak RSS, BENCHMARKS.md Download).
  const shapes = args.recordShapes
    ? new (await import('../feishu/shapes/recorder.js')).ShapeRecorder()
    : undefined;
  const client = makeClient(s.config, s.output, undefined, shapes);
  const calls: { download?: number } = {};
  try {
    return await transferWith(client, shapes, calls, mode, args, s);
  } finally {
    // Whatever ended the run: a free-plan admin budgets with these (status shows them per run).
    recordApiCalls(s.db, s.runId, apiCallCounts(client, mode !== 'download', calls.download));
  }
}

async function transferWith(
  client: FeishuClient,
  shapes: ShapeRecorder | undefined,
  calls: { download?: number },
  mode: Mode,
  args: Args,
  s: Session,
): Promise<Outcome> {
  const { config, db, output } = s;
  const started = Date.now();
  const dryRun = mode !== 'crawl' && args.dryRun === true;
  const deadline = args.maxDuration === undefined ? undefined : started + args.maxDuration;
  // --max-duration also bounds the crawl: its checkpoints let the next run resume it.
  const deadlineSignal =
    deadline === undefined ? undefined : AbortSignal.timeout(Math.max(0, deadline - started));
  const signal = deadlineSignal ? AbortSignal.any([s.signals.signal, deadlineSignal]) : s.signals.signal;
  if (client.userToken) {
    // Before anything is read or written: an expired or revoked login exits 2 and touches nothing.
    await client.token();
  }
  // Kept even when the crawl stops on an error: an unexpected answer is what a shape file is for.
  const writeShapes = (): void => {
    if (shapes && args.recordShapes) recordShapesStep(s, shapes, args.recordShapes);
  };
  // Before the crawl: a missing bucket or refused credentials are found in a second, not hours later.
  const s3 = mode !== 'crawl' && !dryRun ? await prepareTarget(config) : undefined;
  const progress = output.startProgress();
  const live = new LiveCounts(db, config, progress);

  let crawl: CrawlSummary | undefined;
  let budgetHitInCrawl = false;
  if (mode !== 'download') {
    progress.update({ phase: 'crawl' });
    // A user login was checked above; the app's own credentials and the base URL are checked here.
    if (!client.userToken) await preflight(config, output);
    const { runCrawl } = await import('./crawl-step.js');
    try {
      crawl = await runCrawl(s, client, (p) => live.crawled(p), signal, args.full === true);
    } catch (e) {
      if (!signal.aborted) {
        writeShapes();
        throw e;
      }
    }
    if ((signal.aborted || crawl?.interrupted) && !s.signals.received) budgetHitInCrawl = true;
  }

  let download: DownloadSummary | undefined;
  const failures = new FileFailures(output, args.verbose);
  const skipSources = skippedSources(config);
  const plan = planDownloads(db, { retryFailed: args.retryFailed === true, skipSources });
  // The tenant's monthly API calls are spent (99991403): a download would meet the same answer.
  // keepLocal false: downloads and uploads interleave within the staging limit (README "Object storage").
  const staged = s3 && config.target && !config.target.keepLocal ? await startStaging(s, s3) : undefined;
  if (mode !== 'crawl' && !dryRun && !signal.aborted && !crawl?.monthlyQuota) {
    live.planned(plan);
    const budget: { maxDownloads?: number; maxBytes?: number; deadline?: number } = {};
    if (args.maxDownloads !== undefined) budget.maxDownloads = args.maxDownloads;
    if (args.maxBytes !== undefined) budget.maxBytes = args.maxBytes;
    if (deadline !== undefined) budget.deadline = deadline;
    download = await downloadAll({
      client,
      db,
      outputDir: config.outputDir,
      runId: s.runId,
      limits: downloadLimits(config),
      skipSources,
      budget,
      retryFailed: args.retryFailed === true,
      // Ctrl-C stops the downloader; the deadline is its budget, which it checks per file.
      signal: s.signals.signal,
      log: failures.log,
      onProgress: (p) => live.downloaded(p),
      ...(staged ? { staging: staged.gate, byDocument: false } : {}),
    });
    live.finished();
    failures.sayGrouped();
  }
  if (download) calls.download = download.requests;
  output.stopProgress();
  // Files still uploading from the downloads (or left on disk by a stopped run) finish first.
  await staged?.area.drain();
  writeShapes();
  const login = client.userToken?.login;
  const loginWarning = login ? expiryWarning(login, Date.now()) : undefined;
  if (loginWarning) output.warn('auth.expiring', loginWarning);
  const view = mode === 'backup' && !dryRun && !signal.aborted ? await renderViewStep(s) : undefined;
  const upload = s3 && !signal.aborted ? await uploadStep(s, s3, signal, staged?.summary) : staged?.summary;

  if (dryRun) listPlanned(s, args.verbose, skipSources);
  const after = readStatus(db, {
    day: todayIn(config.limits.dayBoundaryTimeZone),
    dailyLimit: config.limits.downloadsPerDay,
  });
  const report: RunReport = {
    command: mode,
    dryRun,
    durationMs: Date.now() - started,
    interrupted: s.signals.received !== undefined,
    crawl,
    plan,
    after,
    outputDir: config.outputDir,
    database: config.database,
  };
  if (download) report.download = download;
  let exitCode = exitCodeWithUpload(exitCodeFor(report), upload);
  if (budgetHitInCrawl && !report.interrupted) exitCode = ExitCode.budget;
  output.result(renderSummary(report, exitCode));
  if (view) output.result((await import('./commands/render.js')).describeView(view, config.outputDir));
  const summary = {
    command: mode,
    dryRun,
    exitCode,
    durationMs: report.durationMs,
    crawl,
    plan,
    download,
    view,
    upload,
    documents: after.documents,
    media: after.media,
    failures: after.failures,
    unbackable: after.unbackable,
    sizeDiffers: after.sizeDiffers,
  };
  output.resultEvent('run.summary', `${mode} finished with exit code ${exitCode}`, summary);
  // A dry run is recorded as one, so `status` never lists it as a backup that ran.
  return dryRun && exitCode === ExitCode.ok
    ? { exitCode, summary, runStatus: 'dry-run' }
    : { exitCode, summary };
}

/** --record-shapes DIR: the redacted shapes of this run's answers, merged into DIR/feishu-shapes.json. */
function recordShapesStep(s: Session, shapes: ShapeRecorder, dir: string): void {
  try {
    const file = shapes.write(dir);
    s.output.log({
      level: 'info',
      event: 'shapes.written',
      message: `Response shapes written to ${file} (key names, types, codes, header names and page sizes; no tokens, names, text or URLs): attach it to your bug report.`,
    });
  } catch (e) {
    s.output.warn('shapes.failed', `Could not write the response shapes to ${dir}: ${(e as Error).message}.`);
  }
}

/** archive.view: the Markdown/CSV view, regenerated from the snapshots; a failure here loses no backup. */
async function renderViewStep(s: Session): Promise<ViewSummary | undefined> {
  if (!archiveOf(s.config).view) return undefined;
  const { renderView } = await import('../archive/view/render-view.js');
  try {
    const outputDir = s.config.outputDir;
    const onDisk = (p: string): boolean => existsSync(path.join(outputDir, p));
    const target = s.config.target;
    return renderView(s.db, outputDir, target && storedLocallyOrInBucket(s.db, target, onDisk));
  } catch (e) {
    s.output.warn(
      'view.failed',
      `The view was not regenerated: ${(e as Error).message}. Run \`feishu-backup render\`.`,
    );
    return undefined;
  }
}
