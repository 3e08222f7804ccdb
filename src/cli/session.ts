import { mkdirSync, statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { exposedSecretWarning } from '../config/file-exposure.js';
import type { Config } from '../config/index.js';
import { applyMediaMoves } from '../download/media-moves.js';
import { removeEmptyWorkFolders } from '../download/tidy-work-folders.js';
import {
  acquireLock,
  lockPathFor,
  markAbandonedRuns,
  outputLockPathFor,
  type RunLock,
} from '../inventory/lock.js';
import { type Db, openInventory } from '../inventory/open.js';
import { finishRun, startRun } from '../inventory/runs.js';
import { describeFailure, UsageError } from './errors.js';
import { runStatusFor } from './exit-codes.js';
import { loadCliConfig } from './inventory-access.js';
import type { GlobalArgs } from './options.js';
import type { Output } from './output.js';
import { handleSignals, type SignalHandling } from './signals.js';

/** Everything a writing command (backup, crawl, download, verify) works with. */
export interface Session<C extends Config | undefined = Config> {
  /** Undefined only for commands that run from --database alone (verify). */
  config: C;
  database: string;
  outputDir: string;
  db: Db;
  runId: number;
  lock: RunLock;
  signals: SignalHandling;
  output: Output;
}

export interface Outcome {
  exitCode: number;
  /** Stored in runs.summary_json for `status` and audits. Never holds a secret. */
  summary: unknown;
  /** runs.status when the exit code alone does not say it (a dry run exits 0 but backed nothing up). */
  runStatus?: string;
}

/**
 * The life of one run: config, lock (one run per inventory), inventory, a `runs` row, signal
 * handling; then the work; then the run is recorded with its exit code, whatever happened. The lock
 * is also released by an exit handler, so a second Ctrl-C (process.exit) does not leave it behind.
 */
export interface Place<C extends Config | undefined> {
  config: C;
  database: string;
  outputDir: string;
}

/** The usual place of a run: the full config (credentials included). */
export function configPlace(args: GlobalArgs, prepare?: (config: Config) => void): () => Place<Config> {
  return () => {
    const config = loadCliConfig(args);
    prepare?.(config);
    return { config, database: config.database, outputDir: config.outputDir };
  };
}

export async function withSession<C extends Config | undefined>(
  command: string,
  output: Output,
  locate: () => Place<C>,
  work: (session: Session<C>) => Promise<Outcome>,
): Promise<number> {
  const { config, database, outputDir } = locate();
  const exposed = config?.configFile ? exposedSecretWarning(config.configFile) : undefined;
  if (exposed) output.warn('config.exposed', exposed);
  const apart = databaseApart(database, outputDir);
  if (apart) output.warn('config.database_apart', apart);
  if (statSync(outputDir, { throwIfNoEntry: false })?.isDirectory() === false) {
    throw new UsageError(
      `The output directory ${outputDir} is a file, not a directory.`,
      'Point outputDir (or --output-dir) at a folder, or move the file away.',
    );
  }
  mkdirSync(dirname(database), { recursive: true });
  const lock = acquireLock(lockPathFor(database), command);
  let outputLock: RunLock | undefined;
  const releaseOnExit = (): void => {
    outputLock?.release();
    lock.release();
  };
  process.on('exit', releaseOnExit);
  if (lock.tookOver) {
    output.warn(
      'lock.stale',
      `Took over a stale lock left by pid ${lock.tookOver.pid} (started ${lock.tookOver.startedAt}).`,
    );
  }
  let db: Db | undefined;
  const signals = handleSignals({
    onFirst: (sig) =>
      output.warn(
        'run.interrupting',
        `${sig}: stopping; in-flight files are finished or kept as resumable parts. Press Ctrl-C again to exit now.`,
      ),
    onSecond: () => {
      output.stopProgress();
      process.stderr.write('Exiting now; the next run resumes from the inventory.\n');
    },
  });
  try {
    db = openInventory(database);
    // Only once the inventory opened: a refused run leaves no empty output folder behind.
    mkdirSync(outputDir, { recursive: true });
    outputLock = acquireLock(outputLockPathFor(outputDir), command, new Date(), 'output folder');
    if (outputLock.tookOver) {
      output.warn(
        'lock.stale',
        `Took over a stale output folder lock left by pid ${outputLock.tookOver.pid} (started ${outputLock.tookOver.startedAt}).`,
      );
    }
    markAbandonedRuns(db);
    // Files stored before migration 0016 move to their new shard before anything reads a path.
    applyMediaMoves(db, outputDir);
    const runId = startRun(db, command);
    output.log({
      level: 'debug',
      event: 'run.start',
      message: `Run #${runId} (${command}): config ${config?.configFile ?? '(none)'}, output ${outputDir}, inventory ${database}.`,
      runId,
      command,
      configFile: config?.configFile,
      outputDir,
      database,
      baseUrl: config?.baseUrl,
      limits: config?.limits,
    });
    const session: Session<C> = { config, database, outputDir, db, runId, lock, signals, output };
    let outcome: Outcome;
    try {
      outcome = await work(session);
    } catch (e) {
      output.stopProgress();
      // Record the run as failed (or interrupted) before the error is reported.
      const f = describeFailure(e);
      finishRun(db, runId, runStatusFor(f.exitCode), f.exitCode, {
        error: { code: f.code, message: f.message },
      });
      throw e;
    }
    output.stopProgress();
    removeEmptyWorkFolders(outputDir);
    finishRun(
      db,
      runId,
      outcome.runStatus ?? runStatusFor(outcome.exitCode),
      outcome.exitCode,
      outcome.summary,
    );
    return outcome.exitCode;
  } finally {
    signals.dispose();
    db?.close();
    releaseOnExit();
    process.off('exit', releaseOnExit);
  }
}

/**
 * An inventory outside the output folder splits the backup: moving or copying outputDir leaves it
 * behind, and `status --output-dir` then finds none. Allowed (a fast disk, say), but said each run.
 */
export function databaseApart(database: string, outputDir: string): string | undefined {
  const rel = relative(outputDir, database);
  if (rel && !rel.startsWith('..') && !rel.startsWith('/')) return undefined;
  return (
    `The inventory ${database} is outside the output folder ${outputDir}: the two must be moved together. ` +
    'Remove "database" from the config to keep the inventory inside outputDir (its default).'
  );
}
