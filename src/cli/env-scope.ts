const GLOBAL = ['config', 'output-dir', 'database', 'json', 'quiet', 'verbose', 'progress-interval'];
const TRANSFER = ['dry-run', 'max-downloads', 'max-bytes', 'max-duration', 'concurrency', 'retry-failed'];
const CRAWL = ['full', 'record-shapes'];

/** The flags each command takes, so FEISHU_BACKUP_<FLAG> applies only where the flag exists. */
const FLAGS: Record<string, string[]> = {
  backup: [...GLOBAL, ...TRANSFER, ...CRAWL],
  download: [...GLOBAL, ...TRANSFER],
  crawl: [...GLOBAL, ...CRAWL],
  status: GLOBAL,
  export: [...GLOBAL, 'format', 'out'],
  verify: [...GLOBAL, 'repair'],
  init: [...GLOBAL, 'out', 'print', 'force', 'check'],
};

export const ENV_PREFIX = 'FEISHU_BACKUP';

/**
 * yargs' `.env()` turns every FEISHU_BACKUP_* variable into a flag, and strict mode then rejects
 * the ones a command does not take: a cron environment with FEISHU_BACKUP_MAX_DURATION set for
 * `backup` would break `status`, and an unrelated FEISHU_BACKUP_DIR would break everything. Removes
 * from `env` the variables the command in `argv` has no flag for.
 */
export function scopeEnvToCommand(argv: string[], env: NodeJS.ProcessEnv): void {
  const command = argv.find((a) => !a.startsWith('-'));
  const allowed = new Set((command && FLAGS[command]) || []);
  for (const key of Object.keys(env)) {
    if (!key.startsWith(`${ENV_PREFIX}_`)) continue;
    const flag = key
      .slice(ENV_PREFIX.length + 1)
      .toLowerCase()
      .replace(/_/g, '-');
    if (!allowed.has(flag)) delete env[key];
  }
}
