import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeFeishu } from '../fake-feishu/index.js';
import { runCli, startHealthyTenant, tempDir, writeConfig } from './helpers.js';

let fake: FakeFeishu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const HOOK = join(import.meta.dirname, 'record-modules.mjs');

/**
 * What a download-only run must not load: its peak RSS is the user-visible figure (BENCHMARKS.md,
 * Download), and each of these cost megabytes that stayed resident for the whole run.
 */
const NOT_FOR_DOWNLOAD = [
  '/node_modules/@larksuiteoapi/',
  '/node_modules/@aws-sdk/',
  '/node_modules/playwright-core/',
  '/dist/src/crawl/',
  '/dist/src/sources/',
  '/dist/src/archive/',
  '/dist/src/report/',
];

/** Loaded only on the config check's worker thread (src/config/load-apart.ts), never on the main one. */
const WORKER_ONLY = ['/node_modules/zod/', '/dist/src/config/schema.js', '/dist/src/config/load.js'];

/** Every module reachable by imports from `entry`, from the recorded "url<TAB>parent" lines. */
function reachableFrom(entry: string, edges: [url: string, parent: string][]): Set<string> {
  const seen = new Set([entry]);
  const todo = [entry];
  for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
    for (const [url, parent] of edges) {
      if (parent === at && !seen.has(url)) {
        seen.add(url);
        todo.push(url);
      }
    }
  }
  return seen;
}

describe('a download-only run', () => {
  it('loads neither the SDKs nor the crawl, view or report code, nor the config schema on its main thread', async () => {
    fake = await startHealthyTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    expect((await runCli(['crawl', '--config', config])).code).toBe(0);

    const list = join(dir, 'modules.txt');
    const env = { RECORD_MODULES: list, NODE_OPTIONS: `--import=${HOOK}` };
    const download = await runCli(['download', '--config', config], { env });
    expect(download.code, download.stderr).toBe(0);
    expect(download.stdout).toMatch(/Downloaded\s+[1-9]/);
    const edges = readFileSync(list, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t') as [string, string]);
    const loaded = edges.map(([url]) => url);
    // The hook saw the run: the downloader itself is in the list.
    expect(loaded.some((u) => u.includes('/dist/src/download/download-all.js'))).toBe(true);
    expect(loaded.filter((u) => NOT_FOR_DOWNLOAD.some((part) => u.includes(part)))).toEqual([]);

    // The config was checked with the schema library, on the worker thread only: nothing the bin
    // imports leads to it.
    const bin = edges.find(([url, parent]) => !parent && url.endsWith('/dist/src/cli/main.js'))?.[0];
    expect(bin).toBeDefined();
    const mainThread = [...reachableFrom(bin!, edges)];
    expect(mainThread.some((u) => u.includes('/dist/src/download/download-all.js'))).toBe(true);
    expect(mainThread.filter((u) => WORKER_ONLY.some((part) => u.includes(part)))).toEqual([]);
    expect(loaded.some((u) => u.includes('/node_modules/zod/'))).toBe(true);
  });
});
