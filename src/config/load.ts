import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BUCKETS, type Bucket } from '../feishu/buckets.js';
import { didYouMean } from './did-you-mean.js';
import { ConfigError } from './errors.js';
import { parseRoot, rootSpec } from './roots.js';
import type { Config, Root } from './types.js';

export const FEISHU_BASE_URL = 'https://open.feishu.cn';
export const LARK_BASE_URL = 'https://open.larksuite.com';
export const DATABASE_FILE = 'inventory.sqlite';

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

const rate = z.union([z.number().nonnegative(), z.literal('Infinity'), z.literal('off')]);

const limitsSchema = z.strictObject({
  downloadQps: z.number().positive().max(1000).default(5),
  downloadsPerDay: z.number().int().nonnegative().default(10_000),
  concurrency: z.number().int().min(1).max(64).default(4),
  crawlConcurrency: z.number().int().min(1).max(64).default(8),
  dayBoundaryTimeZone: z.string().refine(isTimeZone).default('Asia/Shanghai'),
  rates: z.record(z.string(), rate).default({}),
});

const archiveSchema = z.strictObject({
  snapshots: z.boolean().default(true),
  view: z.boolean().default(true),
  whiteboards: z.boolean().default(true),
  driveFiles: z.boolean().default(true),
});

const configSchema = z.strictObject({
  appId: z.string().min(1),
  appSecret: z.string().min(1),
  baseUrl: z.string().default(FEISHU_BASE_URL),
  roots: z.array(z.unknown()).min(1),
  outputDir: z.string().min(1),
  database: z.string().min(1).optional(),
  // Checked on its own below, so its problems are reported even when the top level has some.
  limits: z.record(z.string(), z.unknown()).optional(),
  archive: archiveSchema.optional(),
});

const offlineSchema = configSchema.extend({
  appId: z.string().optional(),
  appSecret: z.string().optional(),
  roots: z.array(z.unknown()).optional(),
});

const TOP_KEYS = Object.keys(configSchema.shape);
const LIMIT_KEYS = Object.keys(limitsSchema.shape);
const ARCHIVE_KEYS = Object.keys(archiveSchema.shape);

/** Fixes for the usual mistakes, keyed by the dotted path of the key. */
const FIXES: Record<string, string> = {
  appId:
    'set "appId" in the config file or the FEISHU_APP_ID environment variable (the App ID from the developer console, cli_…)',
  appSecret:
    'set "appSecret" in the config file or the FEISHU_APP_SECRET environment variable (keep it out of version control)',
  roots: 'list at least one root, e.g. "roots": [{"url": "https://example.feishu.cn/drive/folder/<token>"}]',
  outputDir: 'set "outputDir" to the folder the backup is written to',
  database: 'set "database" to a file path, or leave it out to keep the inventory inside outputDir',
  baseUrl: 'use "feishu", "lark", or an https URL such as https://open.feishu.cn',
  'limits.downloadQps': 'use a number above 0 (Feishu allows 5 downloads per second)',
  'limits.downloadsPerDay': 'use a whole number (Feishu allows 10000 downloads a day)',
  'limits.concurrency': 'use a whole number from 1 to 64',
  'limits.crawlConcurrency': 'use a whole number from 1 to 64',
  'limits.dayBoundaryTimeZone': 'use an IANA time zone such as "Asia/Shanghai"',
  'archive.snapshots': 'use true or false (false keeps no document snapshots)',
  'archive.view': 'use true or false (false skips the Markdown/CSV view at the end of backup)',
  'archive.whiteboards': 'use true or false',
  'archive.driveFiles': 'use true or false',
};

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
  const roots = parseRoots(merged.roots, problems);
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
  if (problems.length > 0 || !parsed.success || !limits) throw new ConfigError(problems, file);

  // Paths from the file are relative to the file, so a config works whatever the working directory.
  const fileDir = file ? path.dirname(file) : cwd;
  const base = (key: 'outputDir' | 'database'): string => (overrides[key] !== undefined ? cwd : fileDir);
  const outputDir = path.resolve(base('outputDir'), parsed.data.outputDir);
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
  };
  if (file) config.configFile = file;
  return config;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`;
    throw new ConfigError([
      `${file} ${why}; pass --config with the path of your config file (start from config.example.json)`,
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(
      [
        `the file is not valid JSON (${(e as Error).message}); JSON allows no comments or trailing commas: use "$comment" keys for notes`,
      ],
      file,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(['the file must hold one JSON object, e.g. {"appId": "…", "roots": […]}'], file);
  }
  return stripComments(value) as Record<string, unknown>;
}

/** Drops keys that start with `$` (`"$comment"`, `"$schema"`) at every depth: JSON has no comments. */
export function stripComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripComments);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !k.startsWith('$'))
        .map(([k, v]) => [k, stripComments(v)]),
    );
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  const at = issue.path.map(String).join('.');
  if (at.startsWith('roots.') || (at === 'limits.rates' && issue.code !== 'invalid_type')) return '';
  if (issue.code === 'unrecognized_keys') {
    const known = at === 'limits' ? LIMIT_KEYS : at === 'archive' ? ARCHIVE_KEYS : TOP_KEYS;
    return issue.keys
      .map((key) => {
        const hint = didYouMean(key, known);
        const where = at ? `${at}.${key}` : key;
        return `${where}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}; remove it or rename it (notes go in "$comment" keys)`;
      })
      .join('\n');
  }
  const value = issue.path.reduce<unknown>(
    (v, k) =>
      v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined,
    input,
  );
  const fix =
    FIXES[at] ??
    (at.startsWith('limits.rates.')
      ? 'use requests per second (a number), or "off"'
      : 'see config.example.json');
  // Messages never show the value itself: it could be the app secret.
  const what =
    value === undefined ? 'missing' : issue.code === 'too_small' && at === 'roots' ? 'empty' : 'invalid';
  return `${at}: ${what}; ${fix}`;
}

function parseRoots(raw: unknown, problems: string[]): Root[] {
  if (!Array.isArray(raw)) return [];
  const roots: Root[] = [];
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    const r = parseRoot(entry, `roots[${i}]`);
    if (!r.ok) {
      problems.push(...r.problems);
      return;
    }
    // The same root listed twice (a URL and its token) is crawled once.
    const spec = rootSpec(r.root);
    if (seen.has(spec)) return;
    seen.add(spec);
    roots.push(r.root);
  });
  return roots;
}

function normaliseBaseUrl(raw: unknown, problems: string[]): string {
  if (typeof raw !== 'string') return FEISHU_BASE_URL;
  const v = raw.trim();
  if (v.toLowerCase() === 'lark') return LARK_BASE_URL;
  if (v.toLowerCase() === 'feishu') return FEISHU_BASE_URL;
  try {
    const url = new URL(v);
    if (url.protocol === 'https:' || url.protocol === 'http:') return v.replace(/\/+$/, '');
  } catch {
    // fall through to the problem below
  }
  problems.push(`baseUrl: "${v}" is not a URL; ${FIXES.baseUrl}`);
  return FEISHU_BASE_URL;
}

function parseRates(raw: Record<string, unknown>, problems: string[]): Partial<Record<Bucket, number>> {
  const out: Partial<Record<Bucket, number>> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(BUCKETS as readonly string[]).includes(key)) {
      const hint = didYouMean(key, BUCKETS);
      problems.push(
        `limits.rates.${key}: unknown bucket${hint ? ` (did you mean "${hint}"?)` : ''}; buckets are ${BUCKETS.join(', ')}`,
      );
      continue;
    }
    // 0, "off" and "Infinity" all mean no pacing (benchmarks, private deployments without limits).
    if (value === 'off' || value === 'Infinity' || value === 0) out[key as Bucket] = Number.POSITIVE_INFINITY;
    else if (typeof value === 'number' && value > 0) out[key as Bucket] = value;
    // Anything else was reported by the schema.
  }
  return out;
}

/** A lark URL with the feishu base URL (or the reverse) fails on the first call; say so now. */
function checkHostMatchesBaseUrl(roots: unknown, baseUrl: string, problems: string[]): void {
  if (!Array.isArray(roots)) return;
  for (const entry of roots) {
    const url = typeof entry === 'string' ? entry : (entry as { url?: unknown } | null)?.url;
    if (typeof url !== 'string' || !URL.canParse(url)) continue;
    const host = new URL(url).hostname;
    if (host.endsWith('.larksuite.com') && baseUrl === FEISHU_BASE_URL) {
      problems.push(`baseUrl: roots use larksuite.com URLs but baseUrl is Feishu's; set "baseUrl": "lark"`);
      return;
    }
    if (host.endsWith('.feishu.cn') && baseUrl === LARK_BASE_URL) {
      problems.push(
        `baseUrl: roots use feishu.cn URLs but baseUrl is Lark's; set "baseUrl": "feishu" or remove it`,
      );
      return;
    }
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
