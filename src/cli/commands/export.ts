import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { exportRows } from '../../inventory/export.js';
import { ExitCode } from '../exit-codes.js';
import { type ExportFormat, writeExport } from '../export-writer.js';
import { locateInventory, openExistingInventory } from '../inventory-access.js';
import { type GlobalArgs, globalOptions } from '../options.js';
import { runCommand } from '../runner.js';

interface ExportArgs extends GlobalArgs {
  format: ExportFormat;
  out?: string;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: 'Write the media inventory (one row per file, with where it is referenced) as JSON or CSV',
  builder: (y: Argv) =>
    globalOptions(y)
      .option('format', {
        alias: 'f',
        choices: ['json', 'csv'] as const,
        default: 'json' as ExportFormat,
        describe: 'json: an array of objects; csv: sources flattened to "docType:docToken:location; ..."',
      })
      .option('out', {
        alias: 'o',
        type: 'string',
        normalize: true,
        describe: 'Write to FILE instead of stdout',
      })
      .example(
        '$0 export --format csv --out media.csv --config backup.json',
        '',
      ) as unknown as Argv<ExportArgs>,
  handler: (args: ArgumentsCamelCase<ExportArgs>) =>
    runCommand(args, async (output) => {
      const place = locateInventory(args);
      const db = openExistingInventory(place.database, true);
      try {
        if (!args.out) {
          // --json is about log events; with no --out the export itself is stdout, so no events there.
          const rows = await writeExport(exportRows(db), args.format, process.stdout);
          if (!args.json && !args.quiet) process.stderr.write(`Exported ${rows} media rows.\n`);
          return ExitCode.ok;
        }
        // Write beside the target and rename, so an auditor never reads half a file.
        const tmp = `${args.out}.tmp-${process.pid}`;
        const file = createWriteStream(tmp);
        try {
          const rows = await writeExport(exportRows(db), args.format, file);
          file.end();
          await finished(file);
          await rename(tmp, args.out);
          output.info('export.done', `Exported ${rows} media rows to ${args.out}.`, { rows, out: args.out });
          output.resultEvent('export', `exported ${rows} rows`, { rows, out: args.out, format: args.format });
        } catch (e) {
          file.destroy();
          await rm(tmp, { force: true });
          throw e;
        }
        return ExitCode.ok;
      } finally {
        db.close();
      }
    }),
};
