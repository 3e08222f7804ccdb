import path from 'node:path';
import type { DownloadOptions } from '../src/download/types.js';
import { FeishuClient } from '../src/feishu/client.js';
import type { MediaSource } from '../src/inventory/media-refs.js';
import { openInventory } from '../src/inventory/open.js';
import type { FakeFeishu } from '../test/fake-feishu/index.js';

/** A media row to download: file token, size (null: not listed) and source. */
export type PendingRow = [token: string, size: number | null, source: MediaSource];

/**
 * What a download benchmark starts from: an inventory in `dir` listing `rows` as pending media, a
 * download run started, and a client of the fake; downloadAll's options but for the limits, the
 * files going to `dir/out`.
 */
export function pendingDownload(
  dir: string,
  fake: FakeFeishu,
  rows: PendingRow[],
): Pick<DownloadOptions, 'client' | 'db' | 'outputDir' | 'runId'> {
  const db = openInventory(path.join(dir, 'inventory.sqlite'));
  const insert = db.prepare('INSERT INTO media (file_token, size, source) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const r of rows) insert.run(...r);
  })();
  const runId = Number(
    db.prepare("INSERT INTO runs (command, started_at) VALUES ('download', ?)").run(new Date().toISOString())
      .lastInsertRowid,
  );
  const client = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url });
  return { client, db, outputDir: path.join(dir, 'out'), runId };
}
