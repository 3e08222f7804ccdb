import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { downloadAll } from '../../src/download/download-all.js';
import type { DownloadOptions, DownloadSummary } from '../../src/download/types.js';
import { FeishuClient } from '../../src/feishu/client.js';
import type { Db } from '../../src/inventory/open.js';
import { type Clock, ManualClock } from '../../src/limits/clock.js';
import {
  addMedia,
  emptyTenant,
  type FakeFeishu,
  type Media,
  mediaBytes,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { insertMedia, newRun, tempInventory } from './helpers.js';
import { type NoLengthProxy, startNoLengthProxy } from './no-length-proxy.js';

/** One fake tenant, one client, one inventory and an output dir; `close()` checks the fake saw nothing unexpected. */
export interface Env {
  fake: FakeFeishu;
  client: FeishuClient;
  db: Db;
  dir: string;
  dbFile: string;
  outputDir: string;
  clock: ManualClock;
  /** With `noContentLength`: the proxy the client talks through (what it stripped). */
  proxy?: NoLengthProxy;
  /** Adds a media to the fake and its row to the inventory (as the crawl would). */
  media: (
    options?: Partial<Omit<Media, 'token'>> & { token?: string; extra?: string; sizeKnown?: boolean },
  ) => Media;
  /** Runs downloadAll, moving the fake clock along so backoff and rate-limit pauses pass at once. */
  run: (options?: Partial<DownloadOptions>) => Promise<DownloadSummary>;
  /** The bytes the fake serves for a media. */
  bytesOf: (m: Media) => Buffer;
  fileOf: (token: string) => Buffer | undefined;
  close: () => Promise<void>;
}

export async function startEnv(
  options: {
    fakeClock?: boolean;
    /** Full (200) download answers reach the client without `Content-Length` (see no-length-proxy.ts). */
    noContentLength?: boolean;
  } = {},
): Promise<Env> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 2));
  const tenant = emptyTenant({ seed: 7 });
  const fake = await startFakeFeishu({ tenant, ...(options.fakeClock ? { clock: clock as Clock } : {}) });
  const proxy = options.noContentLength ? await startNoLengthProxy(fake.url) : undefined;
  const baseUrl = proxy?.url ?? fake.url;
  const client = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, baseUrl, clock });
  const inv = tempInventory();
  const outputDir = join(inv.dir, 'out');
  const env: Env = {
    fake,
    client,
    db: inv.db,
    dir: inv.dir,
    dbFile: inv.dbFile,
    outputDir,
    clock,
    ...(proxy ? { proxy } : {}),
    media: (o = {}) => {
      const m = addMedia(tenant, o);
      insertMedia(inv.db, {
        file_token: m.token,
        name: m.name,
        size: o.sizeKnown === false ? null : (m.listedSize ?? m.size),
        mime: m.mimeType,
        extra: o.extra ?? null,
      });
      return m;
    },
    run: async (o = {}) => {
      const promise = downloadAll({
        client,
        db: inv.db,
        outputDir,
        runId: newRun(inv.db),
        limits: { qps: 50, perDay: 10_000, concurrency: 3, dayBoundaryTimeZone: 'Asia/Shanghai' },
        clock,
        random: () => 0,
        ...o,
      });
      let settled = false;
      void promise.finally(() => {
        settled = true;
      });
      // Real I/O happens in real time; fake time only moves while the run is waiting on it.
      while (!settled) {
        if (clock.pendingSleeps > 0) await clock.advance(250);
        else await new Promise((r) => setTimeout(r, 2));
      }
      return promise;
    },
    bytesOf: (m) => mediaBytes(tenant.seed, m.token, 0, m.size),
    fileOf: (token) => {
      const row = inv.db.prepare('SELECT path FROM media WHERE file_token = ?').get(token) as {
        path: string | null;
      };
      if (!row?.path) return undefined;
      const file = join(outputDir, row.path);
      return existsSync(file) ? readFileSync(file) : undefined;
    },
    close: async () => {
      try {
        await proxy?.close();
        await fake.close();
      } finally {
        inv.cleanup();
      }
    },
  };
  return env;
}
