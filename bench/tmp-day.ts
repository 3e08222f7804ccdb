/**
 * Past 10,000 a day: files fetched in one simulated day, `download.via` direct against auto, against
 * the loopback fake at the documented limits (`enforceDocumentedLimits()`: media downloads and the
 * batch call at 5/s) with the media download's daily cap. The day is scaled down: it lasts `dayMs`
 * (default 120 s) and the cap is 10,000 scaled to it (14 for 120 s); the per-second limits are not
 * scaled. The fake leaves temporary-URL fetches unmetered, as the docs are silent on them; a third run
 * meters them (a cap of their own, as large as the direct one) to show what auto does then.
 * Run: `npm run build && node dist/bench/tmp-day.js [--write]` (prints JSON; `--write` and `npm run bench` write the
 * "### Past 10,000 a day" part of the "## Download" section of BENCHMARKS.md).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { downloadAll } from '../src/download/download-all.js';
import type { DownloadSummary } from '../src/download/types.js';
import { addMedia, emptyTenant, startFakeFeishu } from '../test/fake-feishu/index.js';
import { writeBenchmarksSubsection } from './benchmarks-file.js';
import { pendingDownload } from './pending-download.js';

const DAY_MS = 86_400_000;
/** Feishu's documented media downloads a day. */
const REAL_CAP = 10_000;

export interface TmpDayOptions {
  /** The simulated day's length. @default 120000 */
  dayMs?: number;
  /** Media in the tenant: more than a day can fetch on either path. @default 900 */
  files?: number;
  /** Files in flight. @default 4 (the product's default) */
  concurrency?: number;
  /** `download.tmpUrlQps`. @default 5 (the product's default) */
  tmpUrlQps?: number;
  /** Write the figures into BENCHMARKS.md. @default false */
  write?: boolean;
}

type Mode = 'direct' | 'auto' | 'auto, temporary URLs metered';

export interface DayFigure {
  mode: Mode;
  /** Files published within the day. */
  files: number;
  direct: number;
  tmp: number;
  /** Requests the fake saw: media downloads, batch calls, temporary-URL fetches. */
  requests: { download: number; batch: number; fetch: number };
  /** 429 (99991400) and 1061045 answers the fake gave. */
  rateLimited: number;
  capRefused: number;
  /** When the last file of the direct path, and of the whole day, was published (s from the day's start). */
  directSeconds: number;
  seconds: number;
  stopReason: DownloadSummary['stopReason'];
  tmpStopped: boolean;
}

export interface TmpDayFigures {
  daySeconds: number;
  cap: number;
  concurrency: number;
  tmpUrlQps: number;
  days: DayFigure[];
  /** auto / direct, measured. */
  ratio: number;
  /** Temporary-URL files a second while auto was on them (measured). */
  tmpPerSecond: number;
  /** A real day at these rates: 10,000 direct, then temporary URLs at `tmpPerSecond` for the rest of it. */
  projected: { direct: number; auto: number; ratio: number };
  machine: string;
}

export async function runTmpDayBench(opts: TmpDayOptions = {}): Promise<TmpDayFigures> {
  const dayMs = opts.dayMs ?? 120_000;
  const cap = Math.max(1, Math.round((REAL_CAP * dayMs) / DAY_MS));
  const concurrency = opts.concurrency ?? 4;
  const tmpUrlQps = opts.tmpUrlQps ?? 5;
  const files = opts.files ?? 900;
  const work = mkdtempSync(path.join(tmpdir(), 'fb-bench-tmp-day-'));
  try {
    const days: DayFigure[] = [];
    for (const mode of ['direct', 'auto', 'auto, temporary URLs metered'] as const) {
      days.push(await oneDay(work, mode, { dayMs, cap, concurrency, tmpUrlQps, files }));
    }
    const direct = days[0]!;
    const auto = days[1]!;
    const tmpPerSecond = auto.tmp / Math.max(0.001, auto.seconds - auto.directSeconds);
    // The direct day at 5/s takes cap / 5 seconds; the rest of the day goes to temporary URLs.
    const projectedAuto = REAL_CAP + tmpPerSecond * (DAY_MS / 1000 - REAL_CAP / 5);
    const figures: TmpDayFigures = {
      daySeconds: dayMs / 1000,
      cap,
      concurrency,
      tmpUrlQps,
      days,
      ratio: auto.files / direct.files,
      tmpPerSecond,
      projected: { direct: REAL_CAP, auto: projectedAuto, ratio: projectedAuto / REAL_CAP },
      machine: `${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}; load average ${loadavg()[0]!.toFixed(1)} at the end`,
    };
    if (opts.write) writeBenchmarksSubsection('## Download', renderTmpDay(figures));
    return figures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function oneDay(
  work: string,
  mode: Mode,
  o: { dayMs: number; cap: number; concurrency: number; tmpUrlQps: number; files: number },
): Promise<DayFigure> {
  const dir = path.join(work, mode.replace(/\W+/g, '-'));
  mkdirSync(dir, { recursive: true });
  const tenant = emptyTenant({ seed: 41 });
  const tokens = Array.from({ length: o.files }, () => addMedia(tenant, { size: 4096 }).token);
  const fake = await startFakeFeishu({ tenant, documentedLimits: true });
  // Feishu's 10,000 a day, scaled to the simulated day; ours is set to the same.
  fake.setDailyCap('media.download', o.cap);
  if (mode === 'auto, temporary URLs metered') fake.setDailyCap('media.tmp_download', o.cap);
  const pending = pendingDownload(
    dir,
    fake,
    tokens.map((t) => [t, 4096, 'media']),
  );
  const { db } = pending;
  const started = Date.now();
  const summary = await downloadAll({
    ...pending,
    limits: {
      qps: 5,
      perDay: o.cap,
      concurrency: o.concurrency,
      dayBoundaryTimeZone: 'Asia/Shanghai',
      via: mode === 'direct' ? 'direct' : 'auto',
      tmpUrlQps: o.tmpUrlQps,
      // limits.dailyCapBackoffMinutes (10 min a real day) scaled to the simulated day.
      dailyCapBackoffMs: Math.round((10 * 60_000 * o.dayMs) / DAY_MS),
    },
    // The day ends: no new file after it.
    budget: { deadline: started + o.dayMs },
  });
  const done = db
    .prepare(
      "SELECT fetched_via AS via, downloaded_at AS at FROM media WHERE status = 'done' ORDER BY downloaded_at",
    )
    .all() as { via: string; at: string }[];
  const secondsOf = (at: string | undefined): number => (at ? (Date.parse(at) - started) / 1000 : 0);
  const directDone = done.filter((r) => r.via === 'direct');
  const all = fake.requests;
  const figure: DayFigure = {
    mode,
    files: done.length,
    direct: directDone.length,
    tmp: done.filter((r) => r.via === 'tmp-url').length,
    requests: {
      download: fake.requestsTo('media.download').length,
      batch: fake.requestsTo('media.tmp_url').length,
      fetch: fake.requestsTo('media.tmp_download').length,
    },
    rateLimited: all.filter((r) => r.status === 429).length,
    capRefused: all.filter(
      (r) => r.status === 400 && (r.route === 'media.download' || r.route === 'media.tmp_download'),
    ).length,
    directSeconds: secondsOf(directDone.at(-1)?.at),
    seconds: secondsOf(done.at(-1)?.at),
    stopReason: summary.stopReason,
    tmpStopped: summary.paths?.find((p) => p.via === 'tmp-url')?.stopped === true,
  };
  db.close();
  await fake.close();
  return figure;
}

const f1 = (n: number): string => n.toFixed(1);
const f2 = (n: number): string => n.toFixed(2);
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The subsection of "## Download" this bench owns. */
export function renderTmpDay(f: TmpDayFigures): string {
  const [direct, auto, metered] = f.days as [DayFigure, DayFigure, DayFigure];
  const day = `a simulated day of ${f1(f.daySeconds)} s, daily cap ${f.cap} (10,000 scaled to it)`;
  const reqs = (d: DayFigure): string =>
    `${d.requests.download} downloads, ${d.requests.batch} batch calls, ${d.requests.fetch} URL fetches; ${d.rateLimited} x 429, ${d.capRefused} x 1061045`;
  return [
    '### Past 10,000 a day: direct vs auto',
    '<!-- written by bench/tmp-day.ts -->',
    '',
    `Media files fetched in ${day},`,
    'against the fake at the documented limits (media download and batch_get_tmp_download_url at 5/s;',
    'the batch page names no figure, an older Lark page said 5/s). The day is scaled down, the per-second',
    'limits are not: the ratio auto / direct is that of a day of this length, the projection below that',
    'of a real one.',
    '**The fake leaves temporary-URL fetches unmetered, because the docs are silent on whether they count',
    'against the 10,000 a day**: the auto rows measure what auto gives if your tenant does not count them.',
    `Concurrency ${f.concurrency}, \`download.tmpUrlQps\` ${f.tmpUrlQps}, 4 KiB files, one fresh fake and inventory per row.`,
    '',
    '| figure | value | target |',
    '| --- | --- | --- |',
    `| direct: files in the day (stop: ${direct.stopReason}; ${reqs(direct)}) | ${direct.files} | (the cap) |`,
    `| auto: files in the day, ${auto.direct} direct then ${auto.tmp} through temporary URLs from ${f1(auto.directSeconds)} s on (stop: ${auto.stopReason}; ${reqs(auto)}) | ${auto.files} | (context) |`,
    `| **auto / direct**, files per simulated day | ${f2(f.ratio)} | (no target in the issue) |`,
    `| auto with temporary URLs metered by the fake (a cap of ${f.cap} of their own): ${metered.direct} direct + ${metered.tmp} temporary, path stopped for the day: ${metered.tmpStopped ? 'yes' : 'no'} (stop: ${metered.stopReason}; ${reqs(metered)}) | ${metered.files} | (context) |`,
    `| projected to a real day at the measured ${f2(f.tmpPerSecond)} temporary-URL files/s: 10,000 direct (2,000 s at 5/s), then temporary URLs for the other 84,400 s | ${count(f.projected.auto)} (x ${f1(f.projected.ratio)}) | (projection, not measured) |`,
    '',
    `Machine: ${f.machine}.`,
    '',
    'Reproduce: `npm run build && node dist/bench/tmp-day.js --write` (`npm run bench` runs it after the download',
    'bench and writes this part). The ratio is what a day of the same length and limits gives; the',
    'projection assumes temporary URLs stay unmetered all day at this pace (`tmpUrlQps` 5 caps it: the',
    'batch call hands out up to 5 URLs a call at 5 calls/s). If Feishu meters them, auto stops that path',
    'for the day once its refusals outlast `limits.dailyCapBackoffMinutes` (scaled here like the day) and',
    'the gain is whatever the tenant allowed: the metered row. `status` and the run summary show which.',
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await runTmpDayBench({ write: process.argv.includes('--write') });
  console.log(JSON.stringify(figures, null, 2));
}
