import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyDownloadSummary, emptyPlan } from '../../src/download/plan.js';
import type { DownloadSummary } from '../../src/download/types.js';
import type { StatusReport } from '../../src/inventory/status.js';
import {
  type FakeFeishu,
  type GenerateOptions,
  generateTenant,
  startFakeFeishu,
} from '../fake-feishu/index.js';

/** What a run report holds besides what the summary's tests are about. */
export const REPORT_BASE = {
  command: 'backup',
  durationMs: 1000,
  interrupted: false,
  outputDir: 'out',
  database: 'inv.sqlite',
};

/** A status with nothing in it, for the renderers' tests; `over` sets what a test is about. */
export function statusReport(over: Partial<StatusReport> = {}): StatusReport {
  return {
    documents: { total: 0, byType: {}, byStatus: {} },
    media: { total: { count: 0, bytes: 0 }, byStatus: {}, goneFromFeishu: { count: 0, bytes: 0 } },
    bytesOnDisk: 0,
    snapshots: { count: 0, bytes: 0 },
    quota: { day: '2026-01-01', used: 0, limit: undefined, left: undefined },
    quotas: [],
    runs: [],
    failures: [],
    ...over,
  };
}

/** A download that did nothing and left nothing, for the summary's tests; `over` sets the rest. */
export function downloadSummary(over: Partial<DownloadSummary> = {}): DownloadSummary {
  const quota = {
    bucket: 'media.download',
    day: '2026-01-01',
    used: 0,
    limit: 10,
    remaining: 10,
    resetsAt: 0,
  };
  return { ...emptyDownloadSummary(emptyPlan(), quota, []), ...over };
}

export const BIN = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A small generated tenant on loopback. */
export async function startTenant(options: GenerateOptions = {}): Promise<FakeFeishu> {
  return startFakeFeishu({
    tenant: generateTenant({
      seed: 7,
      folders: 1,
      docxPerFolder: 2,
      sheets: 1,
      bitables: 1,
      recordsPerTable: 4,
      wikiSpaces: 0,
      maxMediaBytes: 8192,
      ...options,
    }),
  });
}

/** The small tenant with every document readable and every file downloadable: a backup exits 0. */
export async function startHealthyTenant(options: GenerateOptions = {}): Promise<FakeFeishu> {
  const fake = await startTenant(options);
  makeHealthy(fake);
  return fake;
}

/**
 * Makes every media download trickle at `bytesPerSecond`; resolves when the first one starts, so a
 * test knows the run is in its download phase (and, slow enough, stays there).
 */
export function trickleDownloads(fake: FakeFeishu, bytesPerSecond: number): Promise<void> {
  return new Promise<void>((resolve) => {
    fake.inject({
      route: 'media.download',
      fault: { kind: 'slow', bytesPerSecond },
      times: 1000,
      match: () => {
        resolve();
        return true;
      },
    });
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'feishu-backup-cli-'));
}

/** Writes a config pointing at the fake; the secret is left out unless `withSecret` (then pass it in env). */
export function writeConfig(
  dir: string,
  fake: FakeFeishu,
  extra: Record<string, unknown> = {},
  withSecret = true,
): string {
  const file = join(dir, 'config.json');
  const config = {
    appId: fake.appId,
    ...(withSecret ? { appSecret: fake.appSecret } : {}),
    baseUrl: fake.url,
    roots: [{ type: 'folder', token: fake.tenant.rootFolderToken }],
    outputDir: './backup',
    // Pacing off: the fake has no limits unless a test sets one, and tests must be quick.
    limits: {
      downloadQps: 1000,
      rates: Object.fromEntries(['docx.blocks', 'drive.list', 'bitable.records'].map((b) => [b, 'off'])),
    },
    ...extra,
  };
  // Owner-only, as `init` writes it: a secret readable by others draws a warning.
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return file;
}

/** A config backing up to `s3://backup/<prefix>` with keepLocal false: `./staging` holds at most `stagingLimit` bytes. */
export function writeStagingConfig(
  dir: string,
  fake: FakeFeishu,
  s3: { endpoint: string },
  prefix: string,
  stagingLimit: number,
): string {
  return writeConfig(dir, fake, {
    outputDir: `s3://backup/${prefix}`,
    target: {
      bucket: 'backup',
      endpoint: s3.endpoint,
      stagingDir: './staging',
      keepLocal: false,
      stagingLimit,
    },
  });
}

function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // Nothing from the developer's own shell (a real FEISHU_APP_SECRET, FEISHU_BACKUP_*) leaks in.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('FEISHU_')),
  ) as NodeJS.ProcessEnv;
  return { ...base, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', ...env };
}

/** Starts the CLI; the caller waits on its output and exit. */
export function spawnCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Cli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: childEnv(options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Cli(child);
}

export async function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliResult> {
  return spawnCli(args, options).done;
}

export class Cli {
  stdout = '';
  stderr = '';
  readonly done: Promise<CliResult>;
  #waiters: { re: RegExp; resolve: () => void }[] = [];

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
      this.#check();
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
      this.#check();
    });
    this.done = new Promise((resolve) => {
      child.on('close', (code, signal) =>
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }),
      );
    });
  }

  /** Resolves when stdout or stderr matches `re` (event-driven, no polling). */
  waitFor(re: RegExp): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ re, resolve });
      this.#check();
      void this.done.then(() => reject(new Error(`exited before ${re}:\n${this.stdout}\n${this.stderr}`)));
    });
  }

  #check(): void {
    const text = this.stdout + this.stderr;
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.re.test(text)) return true;
      w.resolve();
      return false;
    });
  }
}

/** Parses NDJSON output; throws on a line that is not JSON. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Every document readable and every media file downloadable: a backup of it should exit 0. */
export function makeHealthy(fake: FakeFeishu): void {
  const t = fake.tenant;
  for (const m of t.media.values()) m.state = 'ok';
  for (const d of t.docs.values()) d.access = 'ok';
  for (const s of t.sheets.values()) s.access = 'ok';
  for (const b of t.bitables.values()) b.access = 'ok';
}

export interface MediaRowOnDisk {
  file_token: string;
  status: string;
  path: string | null;
  sha256: string | null;
}

/** The media rows of an inventory, read the way an auditor would. */
export async function mediaRows(database: string): Promise<MediaRowOnDisk[]> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(database, { readonly: true });
  try {
    return db
      .prepare('SELECT file_token, status, path, sha256 FROM media ORDER BY id')
      .all() as MediaRowOnDisk[];
  } finally {
    db.close();
  }
}

export async function runRows(
  database: string,
): Promise<{ command: string; status: string; exit_code: number | null }[]> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(database, { readonly: true });
  try {
    return db.prepare('SELECT command, status, exit_code FROM runs ORDER BY id').all() as {
      command: string;
      status: string;
      exit_code: number | null;
    }[];
  } finally {
    db.close();
  }
}
