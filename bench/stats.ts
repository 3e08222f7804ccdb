/**
 * What the benchmarks report of repeated runs: the median (the mean of the middle two for an even
 * count), a "lo-hi" range, and one process timed by GNU time as the kernel counted it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function range(xs: number[], f: (n: number) => string): string {
  return `${f(Math.min(...xs))}-${f(Math.max(...xs))}`;
}

export interface Timed {
  wallS: number;
  peakMiB: number;
  cpuS: number;
  stdout: string;
}

/** Runs `argv` under GNU time: its wall seconds, peak RSS and CPU (user + system), and its stdout. */
export async function timed(argv: string[]): Promise<Timed> {
  const { stdout, stderr } = await promisify(execFile)(
    '/usr/bin/time',
    ['-f', 'TIMED %e %M %U %S', ...argv],
    { maxBuffer: 64 * 2 ** 20 },
  );
  const m = /TIMED ([\d.]+) (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  if (!m) throw new Error(`no timing in: ${stderr.slice(-300)}`);
  return {
    wallS: Number(m[1]),
    peakMiB: Number(m[2]) / 1024,
    cpuS: Number(m[3]) + Number(m[4]),
    stdout,
  };
}
