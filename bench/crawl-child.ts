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

export interface CrawlChildResult {
  wallMs: number;
  maxRssBytes: number;
  calls: number;
  media: number;
  failures: number;
  /** The most documents waiting to be read at once (the crawl's `crawl.backlog` event). */
  maxBacklog: number;
}

export async function crawlChild(config: Config): Promise<CrawlChildResult> {
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
  let maxBacklog = 0;
  const log = (e: LogEvent): void => {
    if (e.event === 'crawl.backlog') maxBacklog = e.max as number;
  };
  const summary = await crawl({ client, db, config: withRates, runId, log });
  const wallMs = performance.now() - t0;
  finishRun(db, runId, 'ok', 0, summary);
  db.close();
  return {
    wallMs,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    calls: 0,
    media: summary.media.new,
    failures: summary.failures.length,
    maxBacklog,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(JSON.stringify(await crawlChild(JSON.parse(process.argv[2]!) as Config)));
}
