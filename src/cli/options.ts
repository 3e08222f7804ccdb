import type { Argv } from 'yargs';
import { parseDuration, parseSize } from './format.js';

/** Flags every command takes. */
export interface GlobalArgs {
  config?: string;
  database?: string;
  outputDir?: string;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** Seconds between progress lines off a terminal (and `progress` events with --json). */
  progressInterval: number;
}

/** Flags of the commands that download (backup, download). */
export interface TransferArgs {
  dryRun: boolean;
  maxDownloads?: number;
  maxBytes?: number;
  maxDuration?: number;
  concurrency?: number;
  retryFailed: boolean;
  /** crawl and backup only: read every document, whatever its skip key says (full-read.ts). */
  full?: boolean;
  /** crawl and backup only: write the redacted shape of every response to this folder. */
  recordShapes?: string;
}

/** The long flags `globalOptions` adds (help.ts lists them for "did you mean"). */
export const GLOBAL_FLAGS = [
  'config',
  'output-dir',
  'database',
  'json',
  'quiet',
  'verbose',
  'progress-interval',
] as const;

export function globalOptions<T>(y: Argv<T>): Argv<T & GlobalArgs> {
  return (
    y
      .option('config', {
        alias: 'c',
        type: 'string',
        describe: 'Config file (JSON). Env: FEISHU_BACKUP_CONFIG',
        normalize: true,
      })
      .option('output-dir', {
        type: 'string',
        describe: 'Where files go (overrides outputDir)',
        normalize: true,
      })
      .option('database', {
        type: 'string',
        describe: 'Inventory file (default: <outputDir>/inventory.sqlite)',
        normalize: true,
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Newline-delimited JSON events on stdout',
      })
      .option('quiet', {
        alias: 'q',
        type: 'boolean',
        default: false,
        describe: 'Only warnings, errors and the summary',
      })
      .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Debug events too' })
      .option('progress-interval', {
        type: 'number',
        default: 5,
        describe:
          'Seconds between progress lines when not on a terminal (cron), and between --json progress events (default 5)',
        coerce: (v: unknown) => {
          const n = Number(v);
          if (!Number.isFinite(n) || n <= 0)
            throw new TypeError(`Expected --progress-interval to be seconds > 0, got ${String(v)}`);
          return n;
        },
      })
      // Not .conflicts(): yargs counts a boolean's default as "given".
      .check((a) => {
        if (a.quiet && a.verbose) throw new TypeError('Pass --quiet or --verbose, not both.');
        return true;
      })
      .group([...GLOBAL_FLAGS, 'help', 'version'], 'Global options:') as unknown as Argv<T & GlobalArgs>
  );
}

function positiveInt(name: string): (v: unknown) => number | undefined {
  return (v) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new TypeError(`Expected --${name} to be a whole number >= 0, got ${String(v)}`);
    return n;
  };
}

export function downloadOptions<T>(y: Argv<T>): Argv<T & TransferArgs> {
  return y
    .option('dry-run', {
      alias: 'n',
      type: 'boolean',
      default: false,
      describe: 'Plan only: show what would be downloaded (files, bytes); no download calls',
    })
    .option('max-downloads', {
      type: 'number',
      describe: 'Stop cleanly after N download calls',
      coerce: positiveInt('max-downloads'),
    })
    .option('max-bytes', {
      type: 'string',
      describe: 'Stop cleanly after SIZE bytes (e.g. 500M, 2GB)',
      coerce: (v: unknown) => (v === undefined ? undefined : parseSize(String(v))),
    })
    .option('max-duration', {
      type: 'string',
      describe: 'Stop cleanly after this long (e.g. 2h, 90m, 1h30m)',
      coerce: (v: unknown) => (v === undefined ? undefined : parseDuration(String(v))),
    })
    .option('concurrency', {
      type: 'number',
      describe: 'Downloads in flight at once (1-64; overrides limits.concurrency)',
      coerce: (v: unknown) => {
        const n = positiveInt('concurrency')(v);
        if (n !== undefined && (n < 1 || n > 64))
          throw new TypeError(`Expected --concurrency from 1 to 64, got ${n}`);
        return n;
      },
    })
    .option('retry-failed', {
      type: 'boolean',
      default: false,
      describe: 'Also retry files that failed for good before (permission, not found, bad request)',
    })
    .group(
      ['dry-run', 'max-downloads', 'max-bytes', 'max-duration', 'concurrency', 'retry-failed'],
      'Transfer options:',
    ) as unknown as Argv<T & TransferArgs>;
}

/** Flags of the commands that crawl (crawl, backup). */
export function crawlOptions<T>(y: Argv<T>): Argv<T & Pick<TransferArgs, 'full' | 'recordShapes'>> {
  return y
    .option('full', {
      type: 'boolean',
      default: false,
      describe:
        'Read every document this run, even those whose revision or modified time says unchanged (crawl.fullEvery does it periodically)',
    })
    .option('record-shapes', {
      type: 'string',
      describe:
        'Write the shape of every API response (keys, types, codes; no values) to DIR, to attach to a bug report',
      normalize: true,
    })
    .group(['full', 'record-shapes'], 'Crawl options:') as unknown as Argv<
    T & Pick<TransferArgs, 'full' | 'recordShapes'>
  >;
}
