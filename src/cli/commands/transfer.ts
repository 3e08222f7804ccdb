import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { crawlOptions, downloadOptions, globalOptions } from '../options.js';
import { runCommand } from '../runner.js';
import { configPlace, withSession } from '../session.js';
import type { Args, Mode } from '../transfer-run.js';

const DESCRIBE: Record<Mode, string> = {
  backup: 'Crawl the configured roots, then download new and changed media (the nightly job)',
  crawl: 'Only crawl: record documents and the media they reference in the inventory, no downloads',
  download: 'Only download what the inventory lists as not yet backed up',
};

function makeCommand(mode: Mode): CommandModule<object, Args> {
  return {
    command: mode,
    describe: DESCRIBE[mode],
    builder: (y: Argv) => {
      const g = globalOptions(y);
      const crawling = mode === 'download' ? g : crawlOptions(g);
      const withTransfer = mode === 'crawl' ? crawling : downloadOptions(crawling);
      return withTransfer.example(`$0 ${mode} --config backup.json`, '') as unknown as Argv<Args>;
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
