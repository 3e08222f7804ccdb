/**
 * The downloading process of the download benchmark: one `downloadAll` on a prepared inventory,
 * printing its own wall time and peak RSS as JSON. Imports only what a real download run imports
 * (no fake server, no bench code), so its peak RSS is the downloader's.
 */
import { pathToFileURL } from 'node:url';
import { downloadAll } from '../src/download/download-all.js';
import type { DownloadSummary } from '../src/download/types.js';
import { FeishuClient } from '../src/feishu/client.js';
import { openInventory } from '../src/inventory/open.js';
import { keepWasmOnBaseline } from '../src/v8-memory.js';

export interface ChildJob {
  url: string;
  appId: string;
  appSecret: string;
  dbFile: string;
  outputDir: string;
}

export interface ChildResult {
  summary: DownloadSummary;
  wallMs: number;
  maxRssBytes: number;
  /** CPU time of the whole process (every thread), microseconds. */
  cpuMicros: { user: number; system: number };
}

/** The child: one downloadAll on a prepared inventory, reporting its own wall time and peak RSS. */
export async function child(job: ChildJob): Promise<void> {
  // As the CLI does first thing (src/cli/main.ts).
  keepWasmOnBaseline();
  const db = openInventory(job.dbFile);
  const client = new FeishuClient({ appId: job.appId, appSecret: job.appSecret, baseUrl: job.url });
  const runId = Number(
    db.prepare("INSERT INTO runs (command, started_at) VALUES ('download', ?)").run(new Date().toISOString())
      .lastInsertRowid,
  );
  const started = performance.now();
  const summary = await downloadAll({
    client,
    db,
    outputDir: job.outputDir,
    runId,
    limits: { qps: 5, perDay: 10_000, concurrency: 1, dayBoundaryTimeZone: 'Asia/Shanghai' },
  });
  const wallMs = performance.now() - started;
  db.close();
  const usage = process.resourceUsage();
  const result: ChildResult = {
    summary,
    wallMs,
    maxRssBytes: usage.maxRSS * 1024,
    cpuMicros: { user: usage.userCPUTime, system: usage.systemCPUTime },
  };
  process.stdout.write(JSON.stringify(result));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await child(JSON.parse(process.argv[2]!) as ChildJob);
}
