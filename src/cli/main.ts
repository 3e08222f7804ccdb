#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { exportCommand } from './commands/export.js';
import { initCommand } from './commands/init.js';
import { loginCommand, logoutCommand } from './commands/login.js';
import { renderCommand } from './commands/render.js';
import { statusCommand } from './commands/status.js';
import { backupCommand, crawlCommand, downloadCommand } from './commands/transfer.js';
import { verifyCommand } from './commands/verify.js';
import { ENV_PREFIX, scopeEnvToCommand } from './env-scope.js';
import { ExitCode } from './exit-codes.js';
import { installStreamRedaction } from './redact.js';
import { packageVersion } from './version.js';

// Before anything can print: every byte to stdout/stderr passes the redactor.
installStreamRedaction();

const EPILOGUE = [
  'Settings merge in this order, later wins: config file < environment < flags. Environment: ' +
    'FEISHU_APP_ID, FEISHU_APP_SECRET, FEISHU_BASE_URL, and FEISHU_BACKUP_<FLAG> for any flag ' +
    '(e.g. FEISHU_BACKUP_CONFIG=/etc/feishu-backup.json).',
  'Exit codes: 0 ok, 1 error, 2 config or credentials, 3 some files failed, 4 daily quota reached, ' +
    '5 run budget reached, 6 another run holds the lock, 130 interrupted.',
].join('\n\n');

const argv = hideBin(process.argv);
scopeEnvToCommand(argv, process.env);

await yargs(argv)
  .scriptName('feishu-backup')
  .usage('$0 <command> [options]\n\nBack up the images and attachments inside Feishu/Lark documents.')
  .env(ENV_PREFIX)
  .command(backupCommand)
  .command(crawlCommand)
  .command(downloadCommand)
  .command(initCommand)
  .command(loginCommand)
  .command(logoutCommand)
  .command(statusCommand)
  .command(exportCommand)
  .command(verifyCommand)
  .command(renderCommand)
  .demandCommand(1, 'Name a command; see --help.')
  .recommendCommands()
  .strict()
  .epilogue(EPILOGUE)
  .wrap(Math.min(100, process.stdout.columns || 80))
  .fail((msg, err) => {
    // Parse and flag-value errors only: command bodies report their own errors via runCommand.
    process.stderr.write(`error: ${msg || err?.message}\nRun with --help for usage.\n`);
    process.exit(ExitCode.config);
  })
  .help()
  .alias('help', 'h')
  .version(packageVersion())
  .parseAsync();
