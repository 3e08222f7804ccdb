import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { ViewSummary } from '../../archive/view/render-view.js';
import { DATABASE_FILE, findConfigFile } from '../../config/discover.js';
import { loadConfigApart } from '../../config/load-apart.js';
import type { Target } from '../../config/types.js';
import { applyMediaMoves } from '../../download/media-moves.js';
import { acquireLock, lockPathFor, outputLockPathFor, type RunLock } from '../../inventory/lock.js';
import { storedLocallyOrInBucket } from '../../inventory/target-staging.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { counted, formatCount } from '../format.js';
import { examplesText } from '../help.js';
import { openExistingInventory } from '../inventory-access.js';
import { type GlobalArgs, globalOptions } from '../options.js';
import { runCommand } from '../runner.js';
import { row } from '../summary.js';

export const renderCommand: CommandModule<object, GlobalArgs> = {
  command: 'render',
  describe:
    'Regenerate the browsable view (<outputDir>/view: Markdown, CSV, index.md) from the snapshots; offline, no credentials',
  builder: (y: Argv) =>
    globalOptions(y).epilogue(
      examplesText([
        ['Rebuild view/ from the snapshots', 'render'],
        ['The same on a copy of the backup, with no config', 'render --output-dir /mnt/backup-copy'],
      ]),
    ),
  handler: (args: ArgumentsCamelCase<GlobalArgs>) =>
    runCommand(args, async (output) => {
      const place = locateOffline(args);
      // One writer per inventory: a backup rendering its own view at the same time would race the swap.
      const lock = acquireLock(lockPathFor(place.database), 'render');
      let outputLock: RunLock | undefined;
      let db: ReturnType<typeof openExistingInventory> | undefined;
      try {
        db = openExistingInventory(place.database, false);
        // ...and one writer per output folder: another inventory's backup may be writing this view.
        if (existsSync(place.outputDir)) {
          outputLock = acquireLock(outputLockPathFor(place.outputDir), 'render', new Date(), 'output folder');
        }
        // Files stored before migration 0016 move first, so the view links them where they now are.
        if (outputLock) applyMediaMoves(db, place.outputDir);
        // keepLocal false: files in the bucket are linked too (the view is read in the bucket's mirror).
        const onDisk = (p: string): boolean => existsSync(path.join(place.outputDir, p));
        // Loaded here, not at start-up: every other command (a download above all) goes without it.
        const { renderView } = await import('../../archive/view/render-view.js');
        const summary = renderView(
          db,
          place.outputDir,
          place.target && storedLocallyOrInBucket(db, place.target, onDisk),
        );
        output.resultEvent('render.summary', 'view rendered', { outputDir: place.outputDir, ...summary });
        output.result(describeView(summary, place.outputDir));
        return summary.unreadable.length > 0 ? ExitCode.partial : ExitCode.ok;
      } finally {
        db?.close();
        outputLock?.release();
        lock.release();
      }
    }),
};

/** One paragraph for the run summary of `render` and `backup`. */
export function describeView(s: ViewSummary, outputDir: string): string {
  const lines = [
    row(
      'View',
      `${counted(s.documents, 'document')}, ${counted(s.files, 'file')} in ${path.join(outputDir, 'view')}`,
    ),
    row(
      'Links',
      `${formatCount(s.links.resolved)} to local copies, ${formatCount(s.links.missing)} not backed up (failed or still to do)`,
    ),
  ];
  if (s.unreadable.length > 0)
    lines.push(
      row('Unreadable', `${counted(s.unreadable.length, 'snapshot')} (listed in view/index.md); run verify`),
    );
  return lines.join('\n');
}

/**
 * The config without credentials or roots (render never calls Feishu), else just --output-dir /
 * --database, so a copy of the backup can be rendered on any machine.
 */
function locateOffline(args: GlobalArgs): { database: string; outputDir: string; target?: Target } {
  const file = findConfigFile(args.config, process.env, process.cwd());
  if (file) {
    const overrides: Record<string, unknown> = {};
    if (args.outputDir) overrides.outputDir = args.outputDir;
    if (args.database) overrides.database = args.database;
    const config = loadConfigApart({ file, overrides, offline: true, env: {} });
    return {
      database: config.database,
      outputDir: config.outputDir,
      ...(config.target ? { target: config.target } : {}),
    };
  }
  if (!args.outputDir && !args.database) {
    throw new UsageError(
      'render needs to know where the backup is.',
      'Pass --config <file> or --output-dir <folder holding inventory.sqlite>.',
    );
  }
  const outputDir = path.resolve(args.outputDir ?? path.dirname(args.database!));
  const database = path.resolve(args.database ?? path.join(outputDir, DATABASE_FILE));
  if (!existsSync(outputDir))
    throw new UsageError(`No backup folder at ${outputDir}.`, 'Check --output-dir.');
  return { database, outputDir };
}
