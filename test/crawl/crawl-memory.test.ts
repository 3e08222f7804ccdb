import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepOldGenerationTight } from '../../src/v8-memory.js';
import { type FakeFeishu, startFakeFeishu } from '../fake-feishu/index.js';
import { smallTenant } from './fixtures.js';
import { harness, wrongSecretClient } from './harness.js';

let fake: FakeFeishu | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await fake?.close();
  fake = undefined;
});

/** The V8 flags set through `v8.setFlagsFromString`, in order (still passed on to V8). */
function recordFlags(): string[] {
  const flags: string[] = [];
  const set = v8.setFlagsFromString.bind(v8);
  vi.spyOn(v8, 'setFlagsFromString').mockImplementation((flag: string) => {
    flags.push(flag);
    set(flag);
  });
  return flags;
}

const growing = (flags: readonly string[]): string[] =>
  flags.filter((f) => f.startsWith('--heap-growing-percent'));

describe("the crawl's memory", () => {
  it('keeps the old generation within 1.5x of its live size while it runs, and gives V8 its own factor back', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    const flags = recordFlags();
    // What was set whenever the crawl logged (its last event, the backlog figure, comes once all is read).
    const whileCrawling: string[][] = [];
    const summary = await h.run({ log: () => void whileCrawling.push(growing(flags)) });
    expect(summary.failures).toEqual([]);
    expect(summary.documents.docx?.changed).toBeGreaterThan(0);
    // Set before the crawl's first event, restored once the crawl was over.
    expect(whileCrawling.length).toBeGreaterThan(0);
    for (const seen of whileCrawling) expect(seen).toEqual(['--heap-growing-percent=50']);
    expect(growing(flags)).toEqual(['--heap-growing-percent=50', '--heap-growing-percent=0']);
  });

  it('gives V8 its own factor back when the crawl fails', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    const wrong = wrongSecretClient(fake);
    const flags = recordFlags();
    await expect(h.run({ client: wrong })).rejects.toMatchObject({ kind: 'credentials' });
    expect(growing(flags)).toEqual(['--heap-growing-percent=50', '--heap-growing-percent=0']);
  });

  it('gives V8 its own factor back only once the last of two crawls at once is over', () => {
    const flags = recordFlags();
    const first = keepOldGenerationTight();
    const second = keepOldGenerationTight();
    first();
    first();
    expect(growing(flags)).toEqual(['--heap-growing-percent=50']);
    second();
    expect(growing(flags)).toEqual(['--heap-growing-percent=50', '--heap-growing-percent=0']);
  });
});
