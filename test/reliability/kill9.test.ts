import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRAWL_BUCKETS } from '../../src/feishu/buckets.js';
import { jsonLines, makeHealthy, runCli, spawnCli, tempDir, writeConfig } from '../cli/helpers.js';
import type { FakeFeishu } from '../fake-feishu/index.js';
import { generateTenant, startFakeFeishu } from '../fake-feishu/index.js';
import { doneButNotOnDisk, hashTree, inventoryState, partialFiles, seeded, seedFrom } from './harness.js';

/**
 * kill -9 at seeded random moments of `backup` (crawl and download), resuming each time: the final
 * state must equal an uninterrupted run's. The fake lives in this process, so it outlives the kills.
 * Replay a failure with KILL9_SEED=<seed printed below>; KILL9_KILLS raises the count.
 */
const SEED = seedFrom(process.env.KILL9_SEED, 20261126);
const KILLS = Number(process.env.KILL9_KILLS ?? 20);

let fake: FakeFeishu;
beforeAll(async () => {
  fake = await startFakeFeishu({
    tenant: generateTenant({
      seed: 11,
      folders: 3,
      docxPerFolder: 3,
      sheets: 1,
      bitables: 1,
      recordsPerTable: 12,
      wikiSpaces: 1,
      minMediaBytes: 30_000,
      maxMediaBytes: 160_000,
    }),
  });
  makeHealthy(fake);
  // Counters, not faults (`match` never selects a request): the kills below are timed by the
  // requests the fake sees, not by the clock, so a loaded machine changes nothing but the duration.
  for (const route of [...CRAWL_BUCKETS, 'auth', 'media.tmp_url', ...FILE_ROUTES] as const) {
    fake.inject({
      route,
      fault: { kind: 'error', status: 500 },
      optional: true,
      match: () => {
        onRequest?.(FILE_ROUTES.includes(route as (typeof FILE_ROUTES)[number]));
        return false;
      },
    });
  }
  // Bodies trickle, so a kill lands mid-file and leaves `.part` files behind.
  fake.inject({ route: 'media.download', fault: { kind: 'slow', bytesPerSecond: 150_000 }, probability: 1 });
});

/** The routes that fetch one file each. */
const FILE_ROUTES = ['media.download', 'media.tmp_download', 'drive.download', 'board.image'] as const;
/** Told of every request the fake receives: `file` for a download of one file. */
let onRequest: ((file: boolean) => void) | undefined;
afterAll(async () => {
  await fake.close();
});

/** Paced like a real tenant (25/s per crawl bucket), so a kill can land mid-crawl. */
function config(dir: string): string {
  return writeConfig(dir, fake, {
    limits: {
      downloadQps: 20,
      concurrency: 4,
      rates: Object.fromEntries(CRAWL_BUCKETS.map((b) => [b, 25])),
    },
  });
}

function byFolder(tree: Map<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [path, sha] of tree) {
    const folder = path.slice(0, path.lastIndexOf('/'));
    out[folder] = [...(out[folder] ?? []), sha];
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

describe('kill -9 anywhere', () => {
  it(`survives ${KILLS} SIGKILLs during crawl and download and ends equal to an uninterrupted run`, async () => {
    console.log(`kill -9 suite: seed ${SEED} (replay with KILL9_SEED=${SEED}), ${KILLS} kills`);
    // The reference: one uninterrupted run on the same tenant; its requests size the kill plan.
    const cleanDir = tempDir();
    const t0 = Date.now();
    let crawlRequests = 0;
    let fileRequests = 0;
    onRequest = (file) => {
      if (file) fileRequests++;
      else if (fileRequests === 0) crawlRequests++;
    };
    const cleanCli = spawnCli(['backup', '--json', '--verbose', '--config', config(cleanDir)]);
    await cleanCli.waitFor(/"event":"run\.start"/);
    const openMs = Date.now() - t0;
    await cleanCli.waitFor(/"event":"download\.start"/);
    const crawlMs = Date.now() - t0;
    const clean = await cleanCli.done;
    const cleanMs = Date.now() - t0;
    onRequest = undefined;
    // 0, or 3 while whiteboards (board blocks) are recorded but not yet downloadable: either way the
    // same outcome is required of the interrupted runs.
    expect([0, 3], clean.stderr).toContain(clean.code);

    const dir = tempDir();
    const cfg = config(dir);
    const out = join(dir, 'backup');
    const db = join(out, 'inventory.sqlite');
    const random = seeded(SEED);
    // The plan, drawn up front. Half the kills aim at the crawl (at its n-th request, or at the first
    // file request if the crawl is over sooner), half at the n-th file request. A run finishes no
    // more files than the file requests it sent, and the download kills' n add up to fewer than the
    // clean run's file requests, so every run still has work left when its kill comes: all KILLS land.
    const plan = Array.from({ length: KILLS }, () => ({ inCrawl: random() < 0.5, r: random() }));
    const downloadKills = plan.filter((k) => !k.inCrawl).length;
    const fileWindow = Math.max(1, Math.floor((fileRequests - 1) / Math.max(1, downloadKills)));
    expect(fileWindow * downloadKills).toBeLessThan(fileRequests);
    const phases: Record<string, number> = {};
    let kills = 0;
    let finishedEarly = 0;
    while (kills < KILLS) {
      const { inCrawl, r: draw } = plan[kills]!;
      // Crawls after the first resume from checkpoints and send fewer requests: aim at their first half.
      const n = 1 + Math.floor(draw * (inCrawl ? Math.max(1, Math.floor(crawlRequests / 2)) : fileWindow));
      const cli = spawnCli(['backup', '--json', '--verbose', '--config', cfg]);
      let seen = 0;
      let killed = false;
      onRequest = (file) => {
        if (killed) return;
        const due = inCrawl ? file || ++seen === n : file && ++seen === n;
        if (!due) return;
        killed = true;
        cli.child.kill('SIGKILL');
      };
      const r = await cli.done;
      onRequest = undefined;
      if (r.signal !== 'SIGKILL') {
        // The run ended before its kill: everything was done already. Count it and keep going.
        expect(r.code, r.stderr).toBe(clean.code);
        finishedEarly++;
        break;
      }
      kills++;
      const events = r.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as { event?: string }];
          } catch {
            return []; // the line the kill cut in half
          }
        });
      const phase = events.some((e) => e.event === 'download.start')
        ? 'download'
        : events.some((e) => e.event === 'run.start')
          ? 'crawl'
          : 'startup';
      phases[phase] = (phases[phase] ?? 0) + 1;
      // After every kill: nothing marked done that is not on disk with its recorded bytes.
      const state = await inventoryState(db).catch(() => undefined);
      if (state) expect(doneButNotOnDisk(out, state.media)).toEqual([]);
    }

    // Then one run that is let finish.
    const last = await runCli(['backup', '--json', '--config', cfg]);
    expect(last.code, last.stderr).toBe(clean.code);
    expect(jsonLines(last.stdout).at(-1)?.event).toBe('run.summary');

    const want = await inventoryState(join(cleanDir, 'backup', 'inventory.sqlite'));
    const got = await inventoryState(db);
    expect(got.media).toEqual(want.media);
    expect(got.refs).toEqual(want.refs);
    expect(doneButNotOnDisk(out, got.media)).toEqual([]);
    expect(partialFiles(out)).toEqual([]);
    expect(hashTree(out, 'media')).toEqual(hashTree(join(cleanDir, 'backup'), 'media'));
    // by-document: the same files per document folder. Which of two same-named files gets the
    // ` (<token>)` suffix depends on which finished first, so compare contents per folder, not names.
    expect(byFolder(hashTree(out, 'by-document'))).toEqual(
      byFolder(hashTree(join(cleanDir, 'backup'), 'by-document')),
    );
    // And both equal the truth: every reachable media with its SHA-256.
    const expected = [...fake.expectedMedia().values()].filter((m) => m.state === 'ok' && m.kind === 'media');
    const byToken = new Map(got.media.map((m) => [m.file_token, m]));
    for (const m of expected) {
      expect(byToken.get(m.token)?.status, m.token).toBe('done');
      expect(byToken.get(m.token)?.sha256, m.token).toBe(m.sha256);
    }
    console.log(
      `kill -9: ${kills} kills (${JSON.stringify(phases)}), ${finishedEarly} run(s) finished before their kill; ` +
        `${expected.length} files, clean run ${cleanMs} ms (inventory open at ${openMs} ms, downloads from ${crawlMs} ms); 0 lost, 0 corrupt`,
    );
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(phases.crawl ?? 0).toBeGreaterThan(0);
    expect(phases.download ?? 0).toBeGreaterThan(0);
  }, 240_000);
});
