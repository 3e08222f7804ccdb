import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { DEFAULT_CONFIG_FILE } from '../../config/discover.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { examplesText } from '../help.js';
import { loadCliConfig } from '../inventory-access.js';
import { type GlobalArgs, globalOptions } from '../options.js';
import { runCommand } from '../runner.js';

interface InitArgs extends GlobalArgs {
  out: string;
  print: boolean;
  force: boolean;
  check: boolean;
}

/** config.example.json at the package root (shipped in `files`), found from src/ or dist/src/. */
function exampleConfig(): string {
  for (const rel of ['../../../config.example.json', '../../../../config.example.json']) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  throw new Error('config.example.json is missing from the installation');
}

/** The example with the app id from the environment, and the secret left to FEISHU_APP_SECRET. */
export function startingConfig(env: NodeJS.ProcessEnv): string {
  const config = JSON.parse(exampleConfig()) as Record<string, unknown>;
  if (env.FEISHU_APP_ID) config.appId = env.FEISHU_APP_ID;
  // A secret written into a file ends up in backups and version control: point to the env var.
  delete config.appSecret;
  // Its default follows outputDir; written out, it would stay behind when outputDir is edited.
  delete config.database;
  config.$appSecret =
    'Set FEISHU_APP_SECRET in the environment (or add "appSecret" here and keep this file private).';
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Writes the config owner-only; a missing folder is a usage mistake with a fix, not a raw ENOENT. */
function writeStartingConfig(file: string, text: string): void {
  const folder = dirname(resolve(file));
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(
      `Cannot write ${file}: the folder ${folder} does not exist.`,
      `Create it first (mkdir -p ${folder}), or pass --out with a path in an existing folder.`,
    );
  }
  writeFileSync(file, text, { mode: 0o600 });
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init',
  describe: 'Write a starting config (with notes on every key), then check the credentials and permissions',
  builder: (y: Argv) =>
    globalOptions(y)
      .option('out', {
        alias: 'o',
        type: 'string',
        default: DEFAULT_CONFIG_FILE,
        describe: 'Where to write the config',
      })
      .option('print', {
        type: 'boolean',
        default: false,
        describe: 'Print the starting config instead of writing it',
      })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing file' })
      .option('check', {
        type: 'boolean',
        default: false,
        describe: 'Only check the credentials and scopes of --config (or --out) against the API',
      })
      .epilogue(
        examplesText([
          ['Write ./feishu-backup.json, which later commands read by default', 'init'],
          ['Check its credentials and permissions against Feishu', 'init --check'],
          ['Elsewhere; then pass --config to every command', 'init --out /etc/feishu-backup.json'],
        ]),
      ) as unknown as Argv<InitArgs>,
  handler: (args: ArgumentsCamelCase<InitArgs>) =>
    runCommand(args, async (output) => {
      if (args.print) {
        output.result(startingConfig(process.env));
        return ExitCode.ok;
      }
      const file = args.config ?? args.out;
      if (!args.check) {
        if (existsSync(file) && !args.force) {
          throw new UsageError(
            `${file} already exists.`,
            'Pass --force to overwrite it, or --check to test it.',
          );
        }
        writeStartingConfig(file, startingConfig(process.env));
        const configFlag = file === DEFAULT_CONFIG_FILE ? '' : ` --config ${file}`;
        output.result(
          `Wrote ${file}. Replace the example "roots" with your own, check "outputDir", set FEISHU_APP_ID and FEISHU_APP_SECRET, then run:\n  feishu-backup init --check${configFlag}`,
        );
        if (!process.env.FEISHU_APP_ID || !process.env.FEISHU_APP_SECRET) return ExitCode.ok;
      }
      const config = loadCliConfig({ ...args, config: file });
      // Loaded here: the SDK takes a second to import and writing a file does not need it.
      const { makeClient } = await import('../client-factory.js');
      const { checkAccess, MEDIA_SCOPE } = await import('../check-access.js');
      const { MEMBER_AUTH_SCOPE } = await import('../check-downloads.js');
      const client = makeClient(config, output, 2);
      const report = await checkAccess(client, config);
      const { checks } = report;
      output.resultEvent('init.check', 'access checked', {
        baseUrl: config.baseUrl,
        checks,
        unreadable: report.unreadable,
      });
      const lines = [`Checking access to ${config.baseUrl} as ${config.appId}:`];
      for (const c of checks) {
        const scope = c.scope === '-' ? '' : ` [${c.scope}]`;
        lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.what}${c.detail ? `: ${c.detail}` : ''}${scope}`);
        if (!c.ok && c.problem) lines.push(`       ${c.problem}`);
        if (!c.ok && c.fix) lines.push(`       fix: ${c.fix}`);
      }
      if (report.unreadable.length > 0) {
        lines.push(
          `${report.unreadable.length} root${report.unreadable.length === 1 ? '' : 's'} cannot be read or downloaded: ${report.unreadable.join('; ')}.`,
        );
      }
      if (report.downloadsUnchecked) {
        lines.push(
          `Download settings were not checked: enable "${MEMBER_AUTH_SCOPE}" (optional) to see whether a document's owner disabled downloads.`,
        );
      }
      if (!report.setupProblem) {
        lines.push(
          `Also enable "${MEDIA_SCOPE}" (download images and attachments); it is checked on the first download.`,
        );
      }
      output.result(lines.join('\n'));
      if (report.setupProblem) return ExitCode.config;
      return report.unreadable.length > 0 ? ExitCode.rootUnreadable : ExitCode.ok;
    }),
};
