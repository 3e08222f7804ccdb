import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config, Root } from '../../src/config/types.js';
import { type CrawlSummary, crawl } from '../../src/crawl/index.js';
import { downloadAll } from '../../src/download/index.js';
import type { DownloadOptions, DownloadSummary } from '../../src/download/types.js';
import type { Logger } from '../../src/events.js';
import { BUCKETS, type Bucket } from '../../src/feishu/buckets.js';
import { FeishuClient, type FeishuClientOptions } from '../../src/feishu/client.js';
import { type Db, openInventory } from '../../src/inventory/open.js';
import { finishRun, startRun } from '../../src/inventory/runs.js';
import { type FakeFeishu, fakeConfig } from '../fake-feishu/index.js';

/** No pacing: the fake answers at once, and rate-limit tests set their own limits on the fake. */
export const UNPACED = Object.fromEntries(BUCKETS.map((b) => [b, Number.POSITIVE_INFINITY])) as Record<
  Bucket,
  number
>;

export function makeConfig(fake: FakeFeishu, roots: Root[], dir: string): Config {
  return fakeConfig(fake, { roots, outputDir: dir, limits: { rates: UNPACED } });
}

export interface Harness {
  db: Db;
  config: Config;
  client: FeishuClient;
  run(options?: {
    signal?: AbortSignal;
    client?: FeishuClient;
    log?: Logger;
    full?: boolean;
    backlogBound?: number;
  }): Promise<CrawlSummary>;
  /** A download run on the inventory, unpaced unless `options.limits` says otherwise. */
  download(options?: Partial<DownloadOptions>): Promise<DownloadSummary>;
}

export function harness(
  fake: FakeFeishu,
  roots: Root[],
  clientOptions: Partial<FeishuClientOptions> = {},
): Harness {
  const dir = mkdtempSync(path.join(tmpdir(), 'fb-crawl-'));
  const config = makeConfig(fake, roots, dir);
  const db = openInventory(config.database);
  const client = new FeishuClient({
    appId: fake.appId,
    appSecret: fake.appSecret,
    baseUrl: fake.url,
    rates: UNPACED,
    random: () => 0,
    ...clientOptions,
  });
  return {
    db,
    config,
    client,
    async run(options = {}) {
      const runId = startRun(db, 'crawl');
      const summary = await crawl({
        client: options.client ?? client,
        db,
        config,
        runId,
        signal: options.signal,
        log: options.log,
        full: options.full,
        backlogBound: options.backlogBound,
      });
      finishRun(db, runId, summary.interrupted ? 'interrupted' : 'ok', 0, summary);
      return summary;
    },
    download(options = {}) {
      return downloadAll({
        client,
        db,
        outputDir: config.outputDir,
        runId: startRun(db, 'download'),
        limits: { qps: 1000, perDay: 100_000, concurrency: 2, dayBoundaryTimeZone: 'Asia/Shanghai' },
        ...options,
      });
    },
  };
}

/** File tokens of media rows with at least one live reference. */
export function liveMedia(db: Db): Set<string> {
  const rows = db
    .prepare(
      'SELECT DISTINCT m.file_token AS t FROM media m JOIN media_refs r ON r.media_id = m.id WHERE r.gone_at IS NULL',
    )
    .all() as { t: string }[];
  return new Set(rows.map((r) => r.t));
}

export function rootFolder(fake: FakeFeishu): Root {
  return { type: 'folder', token: fake.tenant.rootFolderToken };
}

export function allWikiRoots(fake: FakeFeishu): Root[] {
  return fake.tenant.wikiSpaces.map((s) => ({ type: 'wiki', spaceId: s.spaceId }) as Root);
}

export function countRequests(fake: FakeFeishu, route: string): number {
  return fake.requests.filter((r) => r.route === route).length;
}

/** A client of the fake with the wrong app secret: the crawl stops on its credentials error. */
export function wrongSecretClient(fake: FakeFeishu): FeishuClient {
  return new FeishuClient({
    appId: fake.appId,
    appSecret: 'not-the-secret',
    baseUrl: fake.url,
    rates: UNPACED,
  });
}
