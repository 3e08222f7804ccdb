import { existsSync } from 'node:fs';
// Not from config/index.js: that loads the schema library, which only the checking thread needs.
import { DATABASE_FILE, findConfigFile } from '../config/discover.js';
import { ConfigError } from '../config/errors.js';
import type { Config, LoadConfigOptions } from '../config/index.js';
import { loadConfigApart } from '../config/load-apart.js';
import { type Db, openInventory } from '../inventory/open.js';
import { UsageError } from './errors.js';
import type { GlobalArgs } from './options.js';
import { redactor } from './redact.js';

/** What the read-side commands need: where the inventory and the files are. */
export interface Place {
  config: Config | undefined;
  database: string;
  outputDir: string;
}

/**
 * Loads the config the documented way (file < environment < flags) and registers its secrets with
 * the redactor before anything can print them.
 */
export function loadCliConfig(
  args: GlobalArgs,
  env: NodeJS.ProcessEnv = process.env,
  /** For commands that never call Feishu: credentials and roots may be absent. */
  offline = false,
): Config {
  const overrides: Record<string, unknown> = {};
  if (args.outputDir) overrides.outputDir = args.outputDir;
  if (args.database) overrides.database = args.database;
  redactor.add(env.FEISHU_APP_SECRET);
  // The object storage target's credentials come only from the AWS environment (README "Object storage").
  redactor.add(env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN);
  const options: LoadConfigOptions = { env, overrides, offline };
  // Without --config, the file plain `init` wrote in this folder, so `init` then `backup` just works.
  const file = findConfigFile(args.config, env, process.cwd());
  if (file) options.file = file;
  // On a worker thread: the checker never loads in this one (load-apart.ts).
  const config = loadConfigApart(options);
  redactor.add(config.appSecret);
  return config;
}

/**
 * `status`, `export` and `verify` only read the inventory, so they also work with just
 * --database/--output-dir and no credentials (e.g. on the machine that holds the backup copy).
 */
export function locateInventory(args: GlobalArgs): Place {
  try {
    // Offline: the same config file the nightly job uses works here without its secret in the env.
    const config = loadCliConfig(args, process.env, true);
    return { config, database: config.database, outputDir: config.outputDir };
  } catch (e) {
    if (!(e instanceof ConfigError) || (!args.database && !args.outputDir)) throw e;
    const outputDir = args.outputDir ?? process.cwd();
    return { config: undefined, database: args.database ?? `${outputDir}/${DATABASE_FILE}`, outputDir };
  }
}

export function openExistingInventory(database: string, readonly: boolean): Db {
  if (!existsSync(database)) {
    throw new UsageError(
      `No inventory at ${database}.`,
      'Run `feishu-backup backup --config <file>` first, or pass --config/--database pointing at an existing backup.',
    );
  }
  return openInventory(database, { readonly });
}
