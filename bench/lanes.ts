/**
 * Download lanes benchmark: 300 media + 300 drive files + 20 whiteboards against the loopback fake,
 * which enforces 5/s on each endpoint itself (429 over it). One run with all three, then each lane
 * alone, side by side in one process: each lane's arrival rate at the server / its limit, the 429s,
 * and the whole phase's time / the slowest lane's time alone.
 * Run: `npm run build && node dist/bench/lanes.js` (prints JSON; `npm run bench` writes it into the
 * "## Download" section of BENCHMARKS.md with the other download figures).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { downloadAll } from '../src/download/download-all.js';
import type { MediaSource } from '../src/inventory/media-refs.js';
import {
  addBoard,
  addDriveFile,
  addMedia,
  emptyTenant,
  type RouteName,
  startFakeFeishu,
} from '../test/fake-feishu/index.js';
import { type PendingRow, pendingDownload } from './pending-download.js';

export interface LanesBenchOptions {
  media?: number;
  driveFiles?: number;
  boards?: number;
  /** Per endpoint, enforced by the fake and used as our own pace. @default 5 */
  rate?: number;
  /** Files in flight in all. @default 4 (the product's default) */
  concurrency?: number;
}

const ROUTES: Record<MediaSource, RouteName> = {
  media: 'media.download',
  drive_file: 'drive.download',
  board: 'board.image',
};

export interface LaneFigure {
  source: MediaSource;
  files: number;
  /** Arrivals per second at the server between the lane's first and last request. */
  perSecond: number;
  ratio: number;
  rateLimited: number;
}

export interface LanesFigures {
  rate: number;
  concurrency: number;
  together: { seconds: number; lanes: LaneFigure[] };
  alone: { source: MediaSource; seconds: number }[];
  /** Whole phase / the slowest lane alone. */
  phaseRatio: number;
}

export async function runLanesBench(opts: LanesBenchOptions = {}): Promise<LanesFigures> {
  const counts: Record<MediaSource, number> = {
    media: opts.media ?? 300,
    drive_file: opts.driveFiles ?? 300,
    board: opts.boards ?? 20,
  };
  const rate = opts.rate ?? 5;
  const concurrency = opts.concurrency ?? 4;
  const work = mkdtempSync(path.join(tmpdir(), 'fb-bench-lanes-'));
  try {
    const together = await phase(work, 'all', counts, rate, concurrency);
    const alone: LanesFigures['alone'] = [];
    for (const source of Object.keys(counts) as MediaSource[]) {
      const only = { media: 0, drive_file: 0, board: 0, [source]: counts[source] };
      alone.push({ source, seconds: (await phase(work, source, only, rate, concurrency)).seconds });
    }
    const slowest = Math.max(...alone.map((a) => a.seconds));
    return { rate, concurrency, together, alone, phaseRatio: together.seconds / slowest };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One download run of `counts` files through a fresh fake and inventory. */
async function phase(
  work: string,
  name: string,
  counts: Record<MediaSource, number>,
  rate: number,
  concurrency: number,
): Promise<LanesFigures['together']> {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  const tenant = emptyTenant({ seed: 23 });
  const rows: PendingRow[] = [];
  for (let i = 0; i < counts.media; i++) rows.push([addMedia(tenant, { size: 4096 }).token, 4096, 'media']);
  for (let i = 0; i < counts.drive_file; i++) {
    rows.push([addDriveFile(tenant, { name: `d${i}.bin`, size: 4096 }).token, 4096, 'drive_file']);
  }
  for (let i = 0; i < counts.board; i++) rows.push([addBoard(tenant), null, 'board']);
  const fake = await startFakeFeishu({ tenant });
  for (const route of Object.values(ROUTES)) fake.setRateLimit(route, { perSecond: rate });
  const pending = pendingDownload(dir, fake, rows);
  const started = performance.now();
  const summary = await downloadAll({
    ...pending,
    limits: {
      qps: rate,
      driveQps: rate,
      boardQps: rate,
      perDay: 100_000,
      concurrency,
      dayBoundaryTimeZone: 'Asia/Shanghai',
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (summary.downloaded !== rows.length) {
    throw new Error(`downloaded ${summary.downloaded} of ${rows.length} (${summary.stopReason})`);
  }
  const lanes: LaneFigure[] = [];
  for (const [source, route] of Object.entries(ROUTES) as [MediaSource, RouteName][]) {
    const reqs = fake.requestsTo(route);
    if (reqs.length < 2) continue;
    const perSecond = (reqs.length - 1) / ((reqs.at(-1)!.at - reqs[0]!.at) / 1000);
    lanes.push({
      source,
      files: counts[source],
      perSecond,
      ratio: perSecond / rate,
      rateLimited: reqs.filter((r) => r.status === 429).length,
    });
  }
  pending.db.close();
  await fake.close();
  return { seconds, lanes };
}

const f1 = (n: number): string => n.toFixed(1);
const f3 = (n: number): string => n.toFixed(3);
const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');

/** The lanes rows of the Download table. */
export function lanesRows(f: LanesFigures): string[] {
  const alone = f.alone.map((a) => `${a.source} ${f1(a.seconds)} s`).join(', ');
  return [
    ...f.together.lanes.map(
      (l) =>
        `| lanes, all at once (${f.together.lanes.map((x) => `${x.files} ${x.source}`).join(' + ')}, ${f.rate}/s each, concurrency ${f.concurrency}): ${l.source} arrival rate / its limit (${f1(l.perSecond)}/s); 429 answers: ${l.rateLimited} | ${f3(l.ratio)} | >= 0.95, 0 x 429: ${verdict(l.ratio >= 0.95 && l.rateLimited === 0)} |`,
    ),
    `| lanes: whole phase ${f1(f.together.seconds)} s / slowest lane alone (alone: ${alone}) | ${f3(f.phaseRatio)} | <= 1.05: ${verdict(f.phaseRatio <= 1.05)} |`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await runLanesBench(), null, 2));
}
