/**
 * The crawling process of the scale benchmark: one crawl of a prepared config with pacing off,
 * printing its wall time and peak RSS as JSON. Imports only what a crawl imports (no fake server), so
 * its peak RSS is the crawler's, not the fake tenant's.
 */
import { pathToFileURL } from 'node:url';
import type { Config } from '../src/config/types.js';
import { crawl } from '../src/crawl/index.js';
import type { LogEvent } from '../src/events.js';
import { BUCKETS, type Bucket } from '../src/feishu/buckets.js';
import { FeishuClient } from '../src/feishu/client.js';
import { openInventory } from '../src/inventory/open.js';
import { finishRun, startRun } from '../src/inventory/runs.js';
import { keepWasmOnBaseline, letYoungGenerationGrow } from '../src/v8-memory.js';

export interface CrawlChildResult {
  wallMs: number;
  /** CPU time of the crawling process over the crawl (user + system): less sensitive to the machine's load than wall time. */
  cpuMs: number;
  maxRssBytes: number;
  calls: number;
  media: number;
  failures: number;
  /** The most documents waiting to be read at once (the crawl's `crawl.backlog` event). */
  maxBacklog: number;
}

/**
 * @param cliFlags set the V8 flags the CLI's `crawl` sets before its first request (src/cli/main.ts
 *   and program.ts: wasm on the baseline compiler, the young generation free to grow); false measures
 *   the crawl as earlier runs of this benchmark did, with V8's defaults.
 */
export async function crawlChild(config: Config, cliFlags = true): Promise<CrawlChildResult> {
  if (cliFlags) {
    keepWasmOnBaseline();
    letYoungGenerationGrow();
  }
  const rates = Object.fromEntries(BUCKETS.map((b) => [b, Number.POSITIVE_INFINITY])) as Record<
    Bucket,
    number
  >;
  const withRates: Config = { ...config, limits: { ...config.limits, rates } };
  const db = openInventory(config.database);
  const client = new FeishuClient({
    appId: config.appId,
    appSecret: config.appSecret,
    baseUrl: config.baseUrl,
    rates,
  });
  const runId = startRun(db, 'crawl');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let maxBacklog = 0;
  const log = (e: LogEvent): void => {
    if (e.event === 'crawl.backlog') maxBacklog = e.max as number;
  };
  const summary = await crawl({ client, db, config: withRates, runId, log });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  finishRun(db, runId, 'ok', 0, summary);
  db.close();
  return {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    calls: 0,
    media: summary.media.new,
    failures: summary.failures.length,
    maxBacklog,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = JSON.parse(process.argv[2]!) as Config;
  process.stdout.write(JSON.stringify(await crawlChild(config, process.argv[3] !== 'bare')));
}
