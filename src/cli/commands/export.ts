import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { rootSpec } from '../../config/roots.js';
import { exportRows } from '../../inventory/export.js';
import type { Db } from '../../inventory/open.js';
import type { writeHtmlReport as WriteHtmlReport } from '../../report/index.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { type ExportFormat, ReaderGoneError, writeExport } from '../export-writer.js';
import { counted } from '../format.js';
import { examplesText } from '../help.js';
import { locateInventory, openExistingInventory, type Place } from '../inventory-access.js';
import { type GlobalArgs, globalOptions } from '../options.js';
import { runCommand } from '../runner.js';

interface ExportArgs extends GlobalArgs {
  format: ExportFormat | 'html';
  out?: string;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe:
    'Write the media inventory (one row per file, with where it is referenced) as JSON or CSV, or an audit report as one self-contained HTML file',
  builder: (y: Argv) =>
    globalOptions(y)
      .option('format', {
        alias: 'f',
        choices: ['json', 'csv', 'html'] as const,
        default: 'json' as ExportFormat | 'html',
        describe:
          'json: an array of objects; csv: sources flattened to "docType:docToken:location; ..."; html: the audit report (needs --out)',
      })
      .option('out', {
        alias: 'o',
        type: 'string',
        normalize: true,
        describe: 'Write to FILE instead of stdout',
      })
      .epilogue(
        examplesText([
          ['Every file as CSV, for a spreadsheet', 'export --format csv --out media.csv'],
          ['The audit report; open it in a browser', 'export --format html --out report.html'],
          ['A look at the first rows', 'export --format csv | head'],
        ]),
      ) as unknown as Argv<ExportArgs>,
  handler: (args: ArgumentsCamelCase<ExportArgs>) =>
    runCommand(args, async (output) => {
      const place = locateInventory(args);
      const db = openExistingInventory(place.database, true);
      try {
        if (args.format === 'html') {
          const report = await htmlReport(db, place, args.out);
          output.info(
            'export.done',
            `Wrote the audit report (${counted(report.mediaFiles, 'media file')}) to ${report.path}.`,
            {
              rows: report.mediaFiles,
              out: report.path,
            },
          );
          output.resultEvent('export', `wrote ${report.path}`, {
            rows: report.mediaFiles,
            out: report.path,
            format: 'html',
          });
          return ExitCode.ok;
        }
        if (!args.out) {
          // --json is about log events; with no --out the export itself is stdout, so no events there.
          try {
            const rows = await writeExport(exportRows(db), args.format, process.stdout);
            if (!args.json && !args.quiet) process.stderr.write(`Exported ${counted(rows, 'media row')}.\n`);
          } catch (e) {
            if (!(e instanceof ReaderGoneError)) throw e;
          }
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
          output.info('export.done', `Exported ${counted(rows, 'media row')} to ${args.out}.`, {
            rows,
            out: args.out,
          });
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

/** The audit report: one self-contained HTML file, written beside its target and renamed into place. */
async function htmlReport(
  db: Db,
  place: Place,
  out: string | undefined,
): Promise<ReturnType<typeof WriteHtmlReport>> {
  if (!out) {
    throw new UsageError('The HTML report is a file, not a stream.', 'Add --out report.html (any path).');
  }
  // Loaded here, not at start-up: every other command (a download above all) goes without it.
  const { writeHtmlReport } = await import('../../report/index.js');
  return writeHtmlReport(db, out, {
    outputDir: place.outputDir,
    baseUrl: place.config?.baseUrl ?? 'unknown (no config given)',
    roots: place.config?.roots.map(rootSpec) ?? [],
    ...(place.config?.target ? { target: place.config.target } : {}),
  });
}
