/**
 * Cost as the tenant grows. (1) The crawl of 1,000 / 10,000 / 100,000 documents (docx of 4 blocks, one
 * an image, in folders of 500) through the loopback fake with pacing off, the crawler in a child
 * process of its own (the fake's tenant is not in its memory): wall time, peak RSS, inventory size on
 * disk. (2) The download queue with 1,000 / 100,000 / 1,000,000 files pending: the time to plan a run
 * (`--dry-run`'s count, once per run) and to read the next batch of each lane (every batch), the first
 * and one deep in the backlog.
 * Run: `npm run build && node dist/bench/scale.js [sizes...]` (writes the "## Scale" section of
 * BENCHMARKS.md with `--write`; `--bare`: the crawler without the CLI's V8 flags; `--crawl-only`:
 * no download-queue part).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { planDownloads } from '../src/download/plan.js';
import { MediaQueue } from '../src/inventory/media-queue.js';
import type { MediaSource } from '../src/inventory/media-refs.js';
import { openInventory } from '../src/inventory/open.js';
import {
  addDocx,
  addFolder,
  addMedia,
  block,
  emptyTenant,
  fakeConfig,
  startFakeFeishu,
} from '../test/fake-feishu/index.js';
import { writeBenchmarksSection } from './benchmarks-file.js';
import type { CrawlChildResult } from './crawl-child.js';

const CHILD = fileURLToPath(new URL('./crawl-child.js', import.meta.url));

export interface CrawlScale {
  documents: number;
  wallMs: number;
  cpuMs: number;
  peakRssMiB: number;
  inventoryMiB: number;
  media: number;
  maxBacklog: number;
}

/** @param bare the crawler without the V8 flags the CLI sets (as this benchmark ran before 2026-12-06 18:30 UTC) */
export async function crawlAt(documents: number, bare = false): Promise<CrawlScale> {
  const tenant = emptyTenant({ seed: 5 });
  const perFolder = 500;
  let folder = addFolder(tenant, { name: 'F0' });
  for (let d = 0; d < documents; d++) {
    if (d > 0 && d % perFolder === 0) folder = addFolder(tenant, { name: `F${d / perFolder}` });
    addDocx(tenant, {
      title: `D${d}`,
      folder: folder.token,
      content: [block.text('a'), block.image(addMedia(tenant).token), block.text('b')],
    });
  }
  const fake = await startFakeFeishu({ tenant });
  const dir = mkdtempSync(path.join(tmpdir(), 'fb-bench-scale-'));
  try {
    const config = fakeConfig(fake, {
      roots: [{ type: 'folder', token: tenant.rootFolderToken }],
      outputDir: dir,
      limits: { crawlConcurrency: 16 },
    });
    const r = await new Promise<CrawlChildResult>((resolve, reject) => {
      const child = spawn(process.execPath, [CHILD, JSON.stringify(config), ...(bare ? ['bare'] : [])], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('exit', (code) =>
        code === 0
          ? resolve(JSON.parse(out) as CrawlChildResult)
          : reject(new Error(`crawl child exited ${code}`)),
      );
    });
    if (r.failures > 0) throw new Error(`${r.failures} crawl failure(s)`);
    const inventoryBytes = readdirSync(dir)
      .filter((f) => f.startsWith('inventory.sqlite'))
      .reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
    return {
      documents,
      wallMs: r.wallMs,
      cpuMs: r.cpuMs,
      peakRssMiB: r.maxRssBytes / 2 ** 20,
      inventoryMiB: inventoryBytes / 2 ** 20,
      media: r.media,
      maxBacklog: r.maxBacklog,
    };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface QueueScale {
  pending: number;
  planMs: number;
  /** Median of reading the first batch of each lane (fresh queues), ms. */
  firstBatchMs: number;
  /** Median of reading the media lane's batch halfway into its backlog (at most 50 batches in), ms. */
  deepBatchMs: number;
}

/** An inventory of `pending` files (90% media, 9% drive files, 1% whiteboards), none done. */
export function queueAt(pending: number): QueueScale {
  const dir = mkdtempSync(path.join(tmpdir(), 'fb-bench-queue-'));
  const db = openInventory(path.join(dir, 'inventory.sqlite'));
  try {
    const insert = db.prepare('INSERT INTO media (file_token, size, source) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < pending; i++) {
        const source: MediaSource = i % 100 === 0 ? 'board' : i % 10 === 0 ? 'drive_file' : 'media';
        insert.run(`box${i}`, source === 'board' ? null : 1000 + ((i * 7919) % 100_000), source);
      }
    })();
    const t0 = performance.now();
    planDownloads(db);
    const planMs = performance.now() - t0;
    const first: number[] = [];
    const deep: number[] = [];
    // Halfway into the media lane's backlog, at most 50 batches in: the queue reads from where it
    // stopped, not from the top, so this batch should cost what the first did.
    const deepAt = Math.min(50, Math.floor((pending * 0.9) / 64 / 2)) * 64;
    for (let round = 0; round < 5; round++) {
      for (const source of ['media', 'drive_file', 'board'] as const) {
        const queue = new MediaQueue(db, { source });
        const a = performance.now();
        queue.next();
        first.push(performance.now() - a);
        if (source !== 'media') continue;
        for (let i = 1; i < deepAt; i++) queue.next();
        const b = performance.now();
        queue.next();
        deep.push(performance.now() - b);
      }
    }
    return { pending, planMs, firstBatchMs: median(first), deepBatchMs: median(deep) };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export interface ScaleFigures {
  crawl: CrawlScale[];
  queue: QueueScale[];
  notes: string[];
  machine: string;
}

export async function runScaleBench(
  opts: { documents?: number[]; pending?: number[]; write?: boolean; bare?: boolean } = {},
): Promise<ScaleFigures> {
  const crawl: CrawlScale[] = [];
  for (const n of opts.documents ?? [1000, 10_000, 100_000]) {
    crawl.push(await crawlAt(n, opts.bare));
    // One line per size as it ends, with the load it ran at, for a long run watched from outside.
    process.stderr.write(
      `${JSON.stringify({ ...crawl.at(-1), loadavg: loadavg(), at: new Date().toISOString() })}\n`,
    );
  }
  const queue: QueueScale[] = [];
  for (const n of opts.pending ?? [1000, 100_000, 1_000_000]) queue.push(queueAt(n));
  const figures: ScaleFigures = {
    crawl,
    queue,
    notes: [],
    machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; load average ${loadavg()[0]!.toFixed(1)} at the end`,
  };
  if (opts.write) writeBenchmarksSection(render(figures));
  return figures;
}

const n0 = (n: number): string => Math.round(n).toLocaleString('en');
const f1 = (n: number): string => n.toFixed(1);
const f2 = (n: number): string => n.toFixed(2);

export function render(f: ScaleFigures): string {
  const c = f.crawl;
  const q = f.queue;
  const rssGrowth = c.length > 1 ? c.at(-1)!.peakRssMiB / c[0]!.peakRssMiB : 1;
  const batchGrowth = q.length > 1 ? q.at(-1)!.deepBatchMs / q[0]!.deepBatchMs : 1;
  return [
    '## Scale',
    '',
    "Cost as the tenant grows, pacing off in the fake so the product's own cost shows. Crawl: docx of 4",
    'blocks (one an image) in folders of 500, the crawler in a child process of its own (peak RSS is the',
    "crawler's; the fake and its tenant live in the parent). Queue: an inventory of that many files left",
    'to download (90% media, 9% drive files, 1% whiteboards).',
    '',
    `| crawl | ${c.map((x) => `${n0(x.documents)} documents`).join(' | ')} |`,
    `| --- |${c.map(() => ' --- |').join('')}`,
    `| wall time | ${c.map((x) => `${f1(x.wallMs / 1000)} s`).join(' | ')} |`,
    `| documents per second | ${c.map((x) => n0(x.documents / (x.wallMs / 1000))).join(' | ')} |`,
    `| peak RSS of the crawler | ${c.map((x) => `${f1(x.peakRssMiB)} MiB`).join(' | ')} |`,
    `| inventory on disk | ${c.map((x) => `${f1(x.inventoryMiB)} MiB`).join(' | ')} |`,
    `| most documents waiting to be read at once | ${c.map((x) => n0(x.maxBacklog)).join(' | ')} |`,
    '',
    c.at(-1)!.documents >= 100_000
      ? `Peak RSS, ${n0(c.at(-1)!.documents)} / ${n0(c[0]!.documents)} documents: ${f2(rssGrowth)}x (target < 1.5x: ${rssGrowth < 1.5 ? 'met' : '**missed**'}).`
      : `Peak RSS, ${n0(c.at(-1)!.documents)} / ${n0(c[0]!.documents)} documents: ${f2(rssGrowth)}x (the target, < 1.5x, is for 1,000 to 100,000 documents: **not shown** by this run).`,
    '',
    `| download queue | ${q.map((x) => `${n0(x.pending)} pending`).join(' | ')} |`,
    `| --- |${q.map(() => ' --- |').join('')}`,
    `| plan the run (counts for the summary and \`--dry-run\`; once per run) | ${q.map((x) => `${f1(x.planMs)} ms`).join(' | ')} |`,
    `| read a lane's first batch of 64 (median) | ${q.map((x) => `${f2(x.firstBatchMs)} ms`).join(' | ')} |`,
    `| read the media lane's batch halfway into its backlog, at most 50 batches in (median) | ${q.map((x) => `${f2(x.deepBatchMs)} ms`).join(' | ')} |`,
    '',
    `Batch time, largest backlog / smallest: ${f2(batchGrowth)}x for a backlog ${n0(q.at(-1)!.pending / q[0]!.pending)}x larger, under a millisecond at every size (target: flat). The plan is one grouped count over the`,
    'rows left to download, so it grows with the backlog; it runs once per run, not per batch.',
    ...f.notes,
    '',
    `Machine: ${f.machine} (shared with other jobs: timings vary run to run; the ratios are within one run).`,
    '',
    'Reproduce: `npm run build && node dist/bench/scale.js --write`',
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
  if (args.includes('--write') && args.includes('--crawl-only')) {
    // The section's queue table needs the queue figures: write them from a whole run.
    console.error('scale: --write needs the download-queue figures; drop --crawl-only to write.');
    process.exit(2);
  }
  const figures = await runScaleBench({
    ...(sizes.length > 0 ? { documents: sizes } : {}),
    write: args.includes('--write'),
    bare: args.includes('--bare'),
    ...(args.includes('--crawl-only') ? { pending: [] } : {}),
  });
  console.log(JSON.stringify(figures, null, 2));
}
