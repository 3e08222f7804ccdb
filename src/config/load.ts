import path from 'node:path';
import type { z } from 'zod';
import { USER_ONLY_ROOT_TYPES } from '../roots/types.js';
import { checkHostMatchesBaseUrl, FEISHU_BASE_URL, normaliseBaseUrl } from './base-url.js';
import { describeIssue } from './describe-issue.js';
import { DATABASE_FILE, NO_CONFIG_FILE_NOTE } from './discover.js';
import { ConfigError } from './errors.js';
import { parseFullEvery } from './full-every.js';
import { parseRates } from './parse-rates.js';
import { parseRoots } from './parse-roots.js';
import { placeholderProblems } from './placeholders.js';
import { readConfigFile, stripComments } from './read-config-file.js';
import { archiveSchema, configSchema, downloadSchema, limitsSchema, offlineSchema } from './schema.js';
import { resolveTarget } from './target.js';
import type { Config } from './types.js';

export { DATABASE_FILE };

/** The config as a user writes it (before env, defaults and path resolution). */
export interface ConfigInput {
  appId?: string;
  appSecret?: string;
  baseUrl?: string;
  roots?: unknown[];
  outputDir?: string;
  database?: string;
  limits?: Partial<Record<string, unknown>>;
  archive?: Partial<Record<string, unknown>>;
  crawl?: Partial<Record<string, unknown>>;
  auth?: string;
  login?: Partial<Record<string, unknown>>;
  target?: Partial<Record<string, unknown>>;
}

export interface LoadConfigOptions {
  /** The JSON config file; relative `outputDir`/`database` resolve against its folder. */
  file?: string;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Values that win over the file and the environment (CLI flags); relative paths resolve against `cwd`. */
  overrides?: Partial<ConfigInput>;
  /** @default process.cwd() */
  cwd?: string;
  /**
   * For commands that never call Feishu (`render`): appId, appSecret and roots may be absent, so a
   * backup copy can be worked on without credentials.
   * @default false
   */
  offline?: boolean;
}

/**
 * Reads, merges (file < env < overrides), validates and resolves the configuration, before any
 * network call. Throws one ConfigError listing every problem with its fix.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ? path.resolve(cwd, options.file) : undefined;
  const fromFile = file ? readConfigFile(file) : {};
  const merged: Record<string, unknown> = { ...fromFile };
  if (env.FEISHU_APP_ID) merged.appId = env.FEISHU_APP_ID;
  if (env.FEISHU_APP_SECRET) merged.appSecret = env.FEISHU_APP_SECRET;
  if (env.FEISHU_BASE_URL) merged.baseUrl = env.FEISHU_BASE_URL;
  const overrides = stripComments(options.overrides ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value;

  const problems: string[] = [];
  const parsed = (options.offline ? offlineSchema : configSchema).safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(...describeIssue(issue, merged).split('\n').filter(Boolean));
    }
  }
  if (!options.offline) placeholderProblems(merged, problems);
  const roots = parseRoots(merged.roots, problems);
  if (merged.auth !== 'user') {
    roots.forEach((r) => {
      if (USER_ONLY_ROOT_TYPES.includes(r.type)) {
        problems.push(
          `roots: a "${r.type}" root is what a signed-in person sees: set "auth": "user" and run \`feishu-backup login\` (the app has no ${r.type === 'my-space' ? 'My Space' : 'personal library'} of yours)`,
        );
      }
    });
  }
  const baseUrl = normaliseBaseUrl(merged.baseUrl ?? FEISHU_BASE_URL, problems);
  checkHostMatchesBaseUrl(merged.roots, baseUrl, problems);
  const parsedLimits = limitsSchema.safeParse(merged.limits ?? {});
  if (!parsedLimits.success && merged.limits && typeof merged.limits === 'object') {
    for (const issue of parsedLimits.error.issues) {
      const at = { ...issue, path: ['limits', ...issue.path] } as z.core.$ZodIssue;
      problems.push(...describeIssue(at, merged).split('\n').filter(Boolean));
    }
  }
  const limits = parsedLimits.success ? parsedLimits.data : undefined;
  const rawRates = (merged.limits as { rates?: unknown } | undefined)?.rates;
  const rates =
    rawRates && typeof rawRates === 'object' ? parseRates(rawRates as Record<string, unknown>, problems) : {};
  const fullEveryMs = parsed.success ? parseFullEvery(parsed.data.crawl?.fullEvery ?? '7d', problems) : null;
  const resolved = parsed.success
    ? resolveTarget(parsed.data.outputDir, parsed.data.target, env, problems)
    : undefined;
  if (problems.length > 0 || !parsed.success || !limits || !resolved)
    throw new ConfigError(problems, file, file ? undefined : NO_CONFIG_FILE_NOTE);

  // Paths from the file are relative to the file, so a config works whatever the working directory.
  const fileDir = file ? path.dirname(file) : cwd;
  const base = (key: 'outputDir' | 'database'): string => (overrides[key] !== undefined ? cwd : fileDir);
  const outputDir = path.resolve(base('outputDir'), resolved.localDir);
  const database = parsed.data.database
    ? path.resolve(base('database'), parsed.data.database)
    : path.join(outputDir, DATABASE_FILE);
  const config: Config = {
    appId: parsed.data.appId ?? '',
    appSecret: parsed.data.appSecret ?? '',
    baseUrl,
    roots,
    outputDir,
    database,
    limits: { ...limits, rates },
    archive: archiveSchema.parse(parsed.data.archive ?? {}),
    crawl: { fullEveryMs },
    download: downloadSchema.parse(parsed.data.download ?? {}),
    auth: parsed.data.auth,
  };
  if (parsed.data.login) config.login = parsed.data.login;
  if (resolved.target) config.target = resolved.target;
  if (file) config.configFile = file;
  return config;
}
