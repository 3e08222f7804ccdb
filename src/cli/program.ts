/**
 * The command line itself, loaded by main.ts once the V8 settings are in place. Each command's code
 * is loaded by its handler, so a run loads only what its command uses.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { letYoungGenerationGrow } from '../v8-memory.js';
import { exportCommand } from './commands/export.js';
import { initCommand } from './commands/init.js';
import { loginCommand, logoutCommand } from './commands/login.js';
import { renderCommand } from './commands/render.js';
import { statusCommand } from './commands/status.js';
import { backupCommand, crawlCommand, downloadCommand } from './commands/transfer.js';
import { verifyCommand } from './commands/verify.js';
import { ENV_PREFIX, scopeEnvToCommand } from './env-scope.js';
import { ExitCode } from './exit-codes.js';
import { ALL_FLAGS, examples, unknownFlagHint } from './help.js';
import { installStreamRedaction } from './redact.js';
import { packageVersion } from './version.js';

// Before anything can print: every byte to stdout/stderr passes the redactor.
installStreamRedaction();
// A reader that closed the pipe (`status | head`) is not an error: further output goes nowhere and
// the command ends as it would have (export stops writing), instead of dying with "write EPIPE".
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

const EPILOGUE = [
  'Settings merge in this order, later wins: config file < environment < flags. Without --config, ' +
    'the config is FEISHU_BACKUP_CONFIG, else ./feishu-backup.json (where `init` writes it). ' +
    'Environment: FEISHU_APP_ID, FEISHU_APP_SECRET, FEISHU_BASE_URL, and FEISHU_BACKUP_<FLAG> for any ' +
    'flag (e.g. FEISHU_BACKUP_MAX_DURATION=2h).',
  'Exit codes: 0 ok, 1 error, 2 config or credentials, 3 some files failed, 4 a quota is spent (daily downloads, or the monthly API calls), ' +
    '5 run budget reached, 6 another run holds the lock, 7 a root cannot be read, 130 interrupted.',
].join('\n\n');

// Types and defaults go in the descriptions: "[string]" ran into the flag names at 80 columns.
const argv = hideBin(process.argv);
scopeEnvToCommand(argv, process.env);

// usageConfiguration exists in yargs 18 but is missing from @types/yargs.
const withUsage = (y: Argv): Argv =>
  (y as Argv & { usageConfiguration(c: Record<string, boolean>): Argv }).usageConfiguration({
    'hide-types': true,
  });

const cli = withUsage(yargs(argv))
  .scriptName('feishu-backup')
  .usage('Usage: $0 <command> [options]\n\nBack up the images and attachments inside Feishu/Lark documents.')
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
  // main.ts kept the young generation small; every command but `download` gets V8's default back.
  .middleware((a) => {
    if (a._[0] !== 'download') letYoungGenerationGrow();
  })
  .demandCommand(1, 'Name a command; see --help.')
  .recommendCommands()
  .strict()
  .wrap(Math.min(100, process.stdout.columns || 80) - 1)
  .fail((msg: string | undefined, err: Error | undefined) => {
    // Parse and flag-value errors only: command bodies report their own errors via runCommand.
    const text = msg || err?.message || 'bad arguments';
    const hint = unknownFlagHint(text, ALL_FLAGS);
    process.stderr.write(`error: ${text}\n${hint ? `${hint}\n` : ''}Run with --help for usage.\n`);
    process.exit(ExitCode.config);
  })
  .help()
  .alias('help', 'h')
  .version(packageVersion());

await examples(
  cli,
  [
    ['Write a starting config here (./feishu-backup.json); edit it; check it', 'init'],
    ['', 'init --check'],
    ['Back up (the nightly job; cron runs it)', 'backup'],
    ['See what a backup would download, downloading nothing', 'backup --dry-run'],
    ['What is backed up, what failed and how to fix it', 'status'],
  ],
  EPILOGUE,
).parseAsync();
