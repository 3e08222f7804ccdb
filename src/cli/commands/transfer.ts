import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { examplesText } from '../help.js';
import { crawlOptions, downloadOptions, globalOptions } from '../options.js';
import { runCommand } from '../runner.js';
import { configPlace, withSession } from '../session.js';
import type { Args, Mode } from '../transfer-run.js';

const DESCRIBE: Record<Mode, string> = {
  backup: 'Crawl the configured roots, then download new and changed media (the nightly job)',
  crawl: 'Only crawl: record documents and the media they reference in the inventory, no downloads',
  download: 'Only download what the inventory lists as not yet backed up',
};

const EXAMPLES: Record<Mode, [string, string][]> = {
  backup: [
    ['With ./feishu-backup.json in this folder', 'backup'],
    [
      'Nightly from cron, at most 5 hours, warnings and the summary only',
      'backup -c /etc/feishu-backup.json --max-duration 5h -q',
    ],
    ['See what would be downloaded, downloading nothing', 'backup --dry-run'],
    ['Retry files that failed for good, once the app can read them', 'backup --retry-failed'],
  ],
  crawl: [['Record what the roots hold, download nothing', 'crawl']],
  download: [['Fetch what the inventory lists, 500 files at most', 'download --max-downloads 500']],
};

function makeCommand(mode: Mode): CommandModule<object, Args> {
  return {
    command: mode,
    describe: DESCRIBE[mode],
    builder: (y: Argv) => {
      const g = globalOptions(y);
      const crawling = mode === 'download' ? g : crawlOptions(g);
      const withTransfer = mode === 'crawl' ? crawling : downloadOptions(crawling);
      return withTransfer.epilogue(examplesText(EXAMPLES[mode])) as unknown as Argv<Args>;
    },
    handler: (args: ArgumentsCamelCase<Args>) =>
      runCommand(args, (output) =>
        withSession(
          mode,
          output,
          configPlace(args, (config) => {
            if (args.concurrency !== undefined) config.limits.concurrency = args.concurrency;
          }),
          async (s) => (await import('../transfer-run.js')).transfer(mode, args, s),
        ),
      ),
  };
}

export const backupCommand = makeCommand('backup');
export const crawlCommand = makeCommand('crawl');
export const downloadCommand = makeCommand('download');
