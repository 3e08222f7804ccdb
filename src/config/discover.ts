import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where `init` writes the config when given no --out; later commands look there too. */
export const DEFAULT_CONFIG_FILE = 'feishu-backup.json';

/** The inventory's file name inside outputDir, unless the config names another `database`. */
export const DATABASE_FILE = 'inventory.sqlite';

/** Said in a config error when no file was read, so "appId: missing" is not a mystery. */
export const NO_CONFIG_FILE_NOTE = `no config file was read: none given with --config or FEISHU_BACKUP_CONFIG, and no ./${DEFAULT_CONFIG_FILE} in this folder`;

/**
 * The config file a command reads: --config, else FEISHU_BACKUP_CONFIG, else ./feishu-backup.json
 * when it exists (the file plain `init` writes), else none.
 */
export function findConfigFile(
  given: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): string | undefined {
  const named = given ?? env.FEISHU_BACKUP_CONFIG;
  if (named) return named;
  const here = path.join(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(here) ? here : undefined;
}
