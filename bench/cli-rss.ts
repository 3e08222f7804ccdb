/**
 * Peak RSS of the real CLI's `download`, the figure a user measures: the bin run as a whole process
 * under GNU time against the loopback fake (cli-serve.ts), one file of each size, fresh each run.
 * With `--vs <main.js of another build>` the two builds run in turn (A B A B ...), so that a
 * before/after comparison shares the machine's drift. `--write` sets the "### The CLI's peak RSS"
 * part of BENCHMARKS.md's Download section.
 * Run: `npm run build && node dist/bench/cli-rss.js [--runs 5] [--sizes 512,2048] [--vs OLD/dist/src/cli/main.js
 * --vs-label 'what OLD is'] [--write]`
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { writeBenchmarksSubsection } from './benchmarks-file.js';
import { resetCliFile, serveCliFile } from './cli-serve.js';

const BIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const MiB = 2 ** 20;

interface Run {
  wallS: number;
  peakMiB: number;
  cpuS: number;
}

async function timedDownload(bin: string, configFile: string): Promise<Run> {
  const { stderr } = await promisify(execFile)(
    '/usr/bin/time',
    ['-f', 'TIMED %e %M %U %S', process.execPath, bin, 'download', '-c', configFile, '-q'],
    { maxBuffer: 16 * MiB },
  );
  const m = /TIMED ([\d.]+) (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  if (!m) throw new Error(`no timing in: ${stderr.slice(-300)}`);
  return { wallS: Number(m[1]), peakMiB: Number(m[2]) / 1024, cpuS: Number(m[3]) + Number(m[4]) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const range = (xs: number[], digits = 1): string =>
  `${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}`;

interface SizeFigures {
  mib: number;
  ours: Run[];
  vs: Run[];
}

async function measure(mib: number, runs: number, vs: string | undefined): Promise<SizeFigures> {
  const dir = path.join(tmpdir(), `fb-bench-cli-rss-${process.pid}`);
  const served = await serveCliFile(dir, mib * MiB);
  const figures: SizeFigures = { mib, ours: [], vs: [] };
  try {
    for (let i = 0; i < runs; i++) {
      // The order swaps every pair, so neither build always runs on a warmer cache.
      const order: ['ours' | 'vs', string][] = [['ours', BIN]];
      if (vs) order[i % 2 ? 'unshift' : 'push'](['vs', vs]);
      for (const [side, bin] of order) {
        resetCliFile(dir);
        figures[side].push(await timedDownload(bin, served.configFile));
      }
    }
  } finally {
    await served.close();
  }
  return figures;
}

function render(
  all: SizeFigures[],
  vs: string | undefined,
  label: string,
  before: number[],
  after: number[],
): string {
  const mb = (mib: number): string => `${(mib * 1.048576).toFixed(1)} MB`;
  const lines = [
    "### The CLI's peak RSS",
    '<!-- written by bench/cli-rss.ts -->',
    '',
    'The real bin, `feishu-backup download -q` (config, lock, inventory, one file of each size from the',
    'loopback fake, summary), as a whole process under GNU time: the figure a user measures.',
    vs ? `Against it, in turn (A B A B ..., the order swapping every pair): ${label}.` : '',
    '',
    '| figure | value | target |',
    '| --- | --- | --- |',
  ];
  for (const f of all) {
    const peaks = f.ours.map((r) => r.peakMiB);
    const peak = median(peaks);
    lines.push(
      `| peak RSS of \`download\`, ${f.mib} MiB file, median of ${f.ours.length} (range ${range(peaks)} MiB) | ${peak.toFixed(1)} MiB = ${mb(peak)} | < 100 MB (95.4 MiB): ${peak < 95.37 ? 'met' : '**missed**'} |`,
    );
    if (vs && f.vs.length) {
      const vp = f.vs.map((r) => r.peakMiB);
      const wall = f.ours.map((r, i) => r.wallS / f.vs[i]!.wallS);
      const cpu = f.ours.map((r, i) => r.cpuS / f.vs[i]!.cpuS);
      lines.push(
        `| the same, ${label} (range ${range(vp)} MiB) | ${median(vp).toFixed(1)} MiB | (context) |`,
        `| wall time this build / ${label}, ${f.mib} MiB, median of the pairs (${range(wall, 2)}); CPU ${median(cpu).toFixed(2)} (${range(cpu, 2)}) | ${median(wall).toFixed(2)} | (same throughput: ~1.00) |`,
      );
    }
  }
  lines.push(
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average ${before.map((x) => x.toFixed(1)).join(' ')} before, ${after.map((x) => x.toFixed(1)).join(' ')} after (1, 5, 15 min; shared with other jobs).`,
    '',
    `Reproduce: \`npm run build && node dist/bench/cli-rss.js --write\`${vs ? ' (before/after: `--vs <the other build>/dist/src/cli/main.js`)' : ''}; one run by hand: \`node dist/bench/cli-serve.js DIR 512\` prints the command to time with \`/usr/bin/time -v\`.`,
    '',
  );
  return lines.filter((l, i, a) => l !== '' || a[i - 1] !== '').join('\n');
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    sizes: { type: 'string', default: '512,2048' },
    vs: { type: 'string' },
    'vs-label': { type: 'string', default: 'the other build' },
    write: { type: 'boolean', default: false },
  },
});
const before = loadavg();
const all: SizeFigures[] = [];
for (const mib of values.sizes.split(',').map(Number)) {
  all.push(await measure(mib, Number(values.runs), values.vs));
}
const section = render(all, values.vs, values['vs-label'], before, loadavg());
process.stdout.write(`${section}\n`);
if (values.write) writeBenchmarksSubsection('## Download', section);
