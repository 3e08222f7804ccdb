/**
 * Streaming like for like, in paired rounds. Ours: `stream-once.js`, one fresh `downloadAll` of one
 * file in a process of its own (SHA-256 of every byte, fsyncs, atomic rename, the inventory's
 * commit). Against: `curl -o` followed by `sha256sum` and `sync` of the file: the same work. Each is
 * timed as a whole process by GNU time (wall seconds, peak RSS, CPU); they alternate, the order
 * swapping every pair, and the ratio is taken pair by pair (so that the machine's drift, shared with
 * other jobs, falls on both), then the median. The fake serves from this process.
 * Run: `npm run build && node dist/bench/stream-pairs.js [MiB=2048] [pairs=5] [--write]` (GNU time
 * at /usr/bin/time, curl, sha256sum and sync on the PATH); `--write` sets the "## Streaming" section
 * of BENCHMARKS.md.
 */
import { rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeBenchmarksSection } from './benchmarks-file.js';
import type { ChildResult } from './download-child.js';
import { median, range, type Timed, timed } from './stats.js';
import { serveStreamFile } from './stream-serve.js';

const ONCE = fileURLToPath(new URL('./stream-once.js', import.meta.url));
const MiB = 2 ** 20;

export interface StreamPair {
  ours: Timed;
  curl: Timed;
  /** Throughput ratio ours / curl + sha256sum + sync (the time of curl's over ours). */
  ratio: number;
}

export interface StreamPairsFigures {
  bytes: number;
  pairs: StreamPair[];
  loadBefore: number[];
  loadAfter: number[];
  machine: string;
}

export async function runStreamPairs(bytes: number, pairs: number): Promise<StreamPairsFigures> {
  const dir = path.join(tmpdir(), `fb-bench-stream-${process.pid}`);
  const served = await serveStreamFile(dir, bytes);
  const curlFile = path.join(dir, 'curl.bin');
  const { job } = served;
  const ours = async (): Promise<Timed> => {
    const t = await timed([process.execPath, ONCE, served.jobFile]);
    const r = JSON.parse(t.stdout) as ChildResult;
    if (r.summary.downloaded !== 1) throw new Error(`ours did not download the file: ${t.stdout}`);
    return t;
  };
  const curl = async (): Promise<Timed> => {
    const t = await timed([
      '/bin/sh',
      '-c',
      `curl -sS --fail -o '${curlFile}' -H 'Authorization: Bearer ${job.token}' '${job.fileUrl}' && sha256sum '${curlFile}' >/dev/null && sync '${curlFile}'`,
    ]);
    if (statSync(curlFile).size !== bytes) throw new Error('curl fetched a short file');
    rmSync(curlFile);
    return t;
  };
  const loadBefore = loadavg();
  try {
    // One of each first, not counted: the page cache and the fake's first answers warm up.
    await ours();
    await curl();
    const out: StreamPair[] = [];
    for (let i = 0; i < pairs; i++) {
      let o: Timed;
      let c: Timed;
      if (i % 2 === 0) {
        o = await ours();
        c = await curl();
      } else {
        c = await curl();
        o = await ours();
      }
      out.push({ ours: o, curl: c, ratio: c.wallS / o.wallS });
    }
    return {
      bytes,
      pairs: out,
      loadBefore,
      loadAfter: loadavg(),
      machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}`,
    };
  } finally {
    await served.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const f1 = (n: number): string => n.toFixed(1);
const f2 = (n: number): string => n.toFixed(2);

export function render(f: StreamPairsFigures): string {
  const mib = f.bytes / MiB;
  const o = f.pairs.map((p) => p.ours);
  const c = f.pairs.map((p) => p.curl);
  const ratios = f.pairs.map((p) => p.ratio);
  const ratio = median(ratios);
  const peak = median(o.map((t) => t.peakMiB));
  const peakMax = Math.max(...o.map((t) => t.peakMiB));
  const row = (name: string, ts: Timed[]): string =>
    `| ${name} | ${f1(mib / median(ts.map((t) => t.wallS)))} MiB/s (${range(
      ts.map((t) => mib / t.wallS),
      f1,
    )}) | ${f2(median(ts.map((t) => t.cpuS)))} s | ${f1(median(ts.map((t) => t.peakMiB)))} MiB |`;
  return [
    '## Streaming',
    '',
    `One ${f1(mib / 1024)} GiB file from the loopback fake, ${f.pairs.length} pairs after one warm-up of each, the order`,
    'swapping every pair; each side a whole process timed from outside (GNU time): start-up, token and',
    'inventory included for ours. Ours: one `downloadAll` (SHA-256 of every byte, fsyncs, atomic rename,',
    "the inventory's commit). Against: `curl -o` + `sha256sum` + `sync` of the file, the same work.",
    '',
    '| process | throughput, median (range) | CPU, median | peak RSS, median |',
    '| --- | --- | --- | --- |',
    row('ours', o),
    row('`curl -o` + `sha256sum` + `sync`', c),
    '',
    '| figure | value | target |',
    '| --- | --- | --- |',
    `| throughput ours / curl + sha256sum + sync, median of the pairs (pairs ${range(ratios, f2)}) | ${f2(ratio)} | >= 0.95: ${ratio >= 0.95 ? 'met' : '**missed**'} |`,
    `| peak RSS of the downloading process, median (largest ${f1(peakMax)} MiB = ${f1((peakMax * MiB) / 1e6)} MB) | ${f1(peak)} MiB = ${f1((peak * MiB) / 1e6)} MB | < 100 MB: ${peak * MiB < 100e6 ? 'met' : '**missed**'} |`,
    '',
    `Machine: ${f.machine}; load average ${f.loadBefore.map(f1).join(' ')} before, ${f.loadAfter.map(f1).join(' ')} after (1, 5, 15 min; shared with other jobs).`,
    '',
    'Reproduce: `npm run build && node dist/bench/stream-pairs.js 2048 5 --write`',
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const nums = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const figures = await runStreamPairs((nums[0] ?? 2048) * MiB, nums[1] ?? 5);
  if (args.includes('--write')) writeBenchmarksSection(render(figures));
  console.log(JSON.stringify(figures, null, 2));
}
