#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';

await yargs(hideBin(process.argv))
  .scriptName('feishu-backup')
  .usage('$0 <command> [options]\n\nBack up the images and attachments inside Feishu/Lark documents.')
  .command(
    'backup',
    'Crawl the configured roots, then download new and changed media',
    () => {},
    () => {
      process.stderr.write('backup: not yet implemented\n');
      process.exitCode = 1;
    },
  )
  .demandCommand(1, 'Name a command; see --help.')
  .strict()
  .help()
  .version()
  .parseAsync();
