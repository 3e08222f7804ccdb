/**
 * The real CLI's `download` against the loopback fake, for timing tools that measure a whole process
 * (GNU time, peak RSS). `node dist/bench/cli-serve.js <dir> [MiB=512]` serves one media file of that
 * size, writes `<dir>/config.json` (the inventory inside the output folder, as by default) and an
 * inventory listing the file, prints the command to time and serves until SIGINT/SIGTERM.
 * `node dist/bench/cli-serve.js --reset <dir>` sets the file back to pending and removes it from the
 * output folder, so that every run downloads it afresh:
 *   sh -c 'node dist/bench/cli-serve.js --reset DIR && exec node dist/src/cli/main.js download -c DIR/config.json -q'
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openInventory } from '../src/inventory/open.js';
import { closeOnSignal, startOneFileFake } from './stream-serve.js';

const INVENTORY = 'inventory.sqlite';

/** Starts the fake with one file of `bytes`; writes `<dir>/config.json` and the inventory. */
export async function serveCliFile(
  dir: string,
  bytes: number,
): Promise<{ configFile: string; close: () => Promise<void> }> {
  rmSync(dir, { recursive: true, force: true });
  const outputDir = path.join(dir, 'out');
  mkdirSync(outputDir, { recursive: true });
  const { fake } = await startOneFileFake(path.join(outputDir, INVENTORY), bytes);
  const configFile = path.join(dir, 'config.json');
  const config = {
    appId: fake.appId,
    appSecret: fake.appSecret,
    baseUrl: fake.url,
    // Never read: a download-only run crawls nothing.
    roots: [{ type: 'folder', token: fake.tenant.rootFolderToken }],
    outputDir,
    // The same settings as the download child (download-child.ts): one file, one at a time.
    limits: { concurrency: 1 },
    archive: { view: false },
  };
  writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  return { configFile, close: () => fake.close() };
}

/** Back to a fresh start: the row pending, the output folder holding only the inventory. */
export function resetCliFile(dir: string): void {
  const outputDir = path.join(dir, 'out');
  for (const name of readdirSync(outputDir)) {
    if (!name.startsWith(INVENTORY)) rmSync(path.join(outputDir, name), { recursive: true, force: true });
  }
  const db = openInventory(path.join(outputDir, INVENTORY));
  db.prepare("UPDATE media SET status = 'pending', path = NULL, sha256 = NULL, bytes_on_disk = NULL").run();
  db.close();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === '--reset') {
    resetCliFile(path.resolve(process.argv[3]!));
  } else {
    const dir = path.resolve(process.argv[2] ?? 'bench/out/cli');
    const served = await serveCliFile(dir, Number(process.argv[3] ?? 512) * 2 ** 20);
    const cli = path.resolve(import.meta.dirname, '..', 'src', 'cli', 'main.js');
    const self = path.resolve(import.meta.dirname, 'cli-serve.js');
    process.stdout.write(
      `sh -c 'node ${self} --reset ${dir} && exec node ${cli} download -c ${served.configFile} -q'\n`,
    );
    closeOnSignal(served);
  }
}
