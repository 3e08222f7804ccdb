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

describe('a download-only run', () => {
  it('loads neither the SDKs nor the crawl, view or report code', async () => {
    fake = await startHealthyTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    expect((await runCli(['crawl', '--config', config])).code).toBe(0);

    const list = join(dir, 'modules.txt');
    const env = { RECORD_MODULES: list, NODE_OPTIONS: `--import=${HOOK}` };
    const download = await runCli(['download', '--config', config], { env });
    expect(download.code, download.stderr).toBe(0);
    expect(download.stdout).toMatch(/Downloaded\s+[1-9]/);
    const loaded = readFileSync(list, 'utf8').split('\n');
    // The hook saw the run: the downloader itself is in the list.
    expect(loaded.some((u) => u.includes('/dist/src/download/download-all.js'))).toBe(true);
    expect(loaded.filter((u) => NOT_FOR_DOWNLOAD.some((part) => u.includes(part)))).toEqual([]);
  });
});
