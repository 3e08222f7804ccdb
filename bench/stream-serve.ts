/**
 * The server side of the streaming comparison: the loopback fake serving one media file of the given
 * size, and an inventory holding it. `serveStreamFile` is used in-process by stream-pairs.ts; run on
 * its own (`node dist/bench/stream-serve.js <dir> [MiB]`) it writes `<dir>/job.json` (the download
 * child's job, plus the file's URL and a tenant token for curl) and serves until SIGINT/SIGTERM, so
 * that any timing tool can run `node dist/bench/stream-once.js <dir>/job.json` against it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FeishuClient } from '../src/feishu/client.js';
import { openInventory } from '../src/inventory/open.js';
import { addMedia, emptyTenant, type FakeFeishu, startFakeFeishu } from '../test/fake-feishu/index.js';
import type { ChildJob } from './download-child.js';

export interface StreamJob extends ChildJob {
  /** The file's download URL and a tenant token, for curl. */
  fileUrl: string;
  token: string;
  bytes: number;
}

/** The fake serving one media file of `bytes` (big.bin, seed 11), and the inventory at `dbFile` listing it. */
export async function startOneFileFake(
  dbFile: string,
  bytes: number,
): Promise<{ fake: FakeFeishu; token: string }> {
  const tenant = emptyTenant({ seed: 11 });
  const token = addMedia(tenant, { size: bytes, name: 'big.bin' }).token;
  const fake = await startFakeFeishu({ tenant });
  const db = openInventory(dbFile);
  db.prepare('INSERT INTO media (file_token, name, size, mime_type) VALUES (?, ?, ?, ?)').run(
    token,
    null,
    bytes,
    'application/octet-stream',
  );
  db.close();
  return { fake, token };
}

/** Keeps serving until SIGINT/SIGTERM, then closes and exits. */
export function closeOnSignal(served: { close: () => Promise<void> }): void {
  const close = (): void => {
    void served.close().then(() => process.exit(0));
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
}

/** Starts the fake with one file of `bytes` and an inventory listing it; writes `<dir>/job.json`. */
export async function serveStreamFile(
  dir: string,
  bytes: number,
): Promise<{ job: StreamJob; jobFile: string; close: () => Promise<void> }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dbFile = path.join(dir, 'inventory.sqlite');
  const { fake, token } = await startOneFileFake(dbFile, bytes);
  const client = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url });
  const job: StreamJob = {
    url: fake.url,
    appId: fake.appId,
    appSecret: fake.appSecret,
    dbFile,
    outputDir: path.join(dir, 'out'),
    fileUrl: `${fake.url}/open-apis/drive/v1/medias/${token}/download`,
    token: await client.token(),
    bytes,
  };
  const jobFile = path.join(dir, 'job.json');
  writeFileSync(jobFile, JSON.stringify(job));
  return { job, jobFile, close: () => fake.close() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = path.resolve(process.argv[2] ?? 'bench/out/stream');
  const served = await serveStreamFile(dir, Number(process.argv[3] ?? 2048) * 2 ** 20);
  process.stdout.write(`${served.jobFile}\n`);
  closeOnSignal(served);
}
