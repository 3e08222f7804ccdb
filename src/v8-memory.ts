/**
 * V8 settings that keep a run's memory small (the download's, the crawl's), set from inside the
 * process so that they hold however the tool is started (`npx`, the bin, a service) on Node 20, 22
 * and 24 alike. Each flag here is in `node --v8-options` of Node 20.20, and Node 22.23 and 24.22 take
 * every one from `v8.setFlagsFromString` without complaint (V8 prints "unrecognized flag" for one it
 * lacks). Measured in BENCHMARKS.md (Download, peak RSS; Scale) on Node 20.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * WebAssembly stays on V8's baseline compiler. undici parses HTTP with llhttp compiled to wasm; V8
 * then re-compiles the parser's one huge function with its optimizing compiler in the background,
 * which took ~35 MiB of compiler memory for a moment early in every run: the process's peak RSS.
 * The parser only skips over a body's bytes (undici copies each chunk into wasm memory and hands a
 * view of it back), so the optimized code is not missed: same throughput in paired runs.
 * Call before the first HTTP request (undici compiles the parser on its first connection).
 */
export function keepWasmOnBaseline(): void {
  v8.setFlagsFromString('--liftoff-only');
}

/** The growth factor last set below (V8's default until then); see afterWorkerIsolate. */
let youngGrowthFactor = 2;

/**
 * The young generation stays at its first size (two 1 MiB semi-spaces) instead of doubling up to
 * 2 x 16 MiB. A download allocates little JS, but the CLI's start-up (yargs, zod, the config) and
 * the download's buffers made V8 grow it to 32 MiB, ~10 MiB of RSS that stayed resident for the
 * whole run: the CLI's `download` peaked at 107-110 MiB against 97-100 MiB with it kept small
 * (BENCHMARKS.md, Download). V8 reads the growth factor each time it would grow the space, so it
 * can be set from inside the process; `letYoungGenerationGrow` restores V8's default (2) for work
 * that allocates much (the crawl), where a small young generation would promote and collect more.
 * Measured on Node 20; checked on 22.23 and 24.22 that it holds (a loop of garbage left the young
 * generation at 2 MiB with it, 32 MiB without).
 */
export function keepYoungGenerationSmall(): void {
  youngGrowthFactor = 1;
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

export function letYoungGenerationGrow(): void {
  youngGrowthFactor = 2;
  v8.setFlagsFromString('--semi-space-growth-factor=2');
}

/**
 * Sets the young generation's growth factor again once a worker thread's isolate exists: setting up
 * a new isolate's heap puts the process-wide flag back to 2. Measured with the config check's worker
 * (config/load-apart.ts) and without this: the main thread's young generation grew to 2 x 8 MiB
 * before the download began, and the CLI's `download` of 2 GiB peaked at 96.4-99.4 MiB against
 * 95.9-97.3 with no worker at all (4 pairs); with it, 2 x 1 MiB as intended. Call once the worker
 * has run (its isolate is set up on its own thread, some time after `new Worker`).
 */
export function afterWorkerIsolate(): void {
  if (youngGrowthFactor === 1) keepYoungGenerationSmall();
}

/**
 * While the crawl runs: V8 lets the old generation grow to 1.5 times what survived its last full
 * collection (at least 8 MiB more) before the next, instead of up to 4 times. The crawl promotes
 * much short-lived garbage (each document's HTTP answers and snapshot streams outlive a few
 * scavenges), so the old generation filled up to 4 x its live size between full collections, and
 * that live size grows with the tenant (the documents met): the 100,000-document crawl peaked at
 * 335-341 MiB, with ~100 MiB of garbage in a 127 MiB old generation and 45 MiB of dropped buffers
 * waiting for a full collection; with 1.5, at 201 MiB (BENCHMARKS.md, Scale). V8 reads the factor after
 * every full collection, so it can be set from inside the process; returns what restores V8's own
 * (dynamic) factor, for the work after the crawl (a `backup`'s download).
 */
export function keepOldGenerationTight(): () => void {
  if (tightRuns++ === 0) v8.setFlagsFromString('--heap-growing-percent=50');
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    if (--tightRuns === 0) v8.setFlagsFromString('--heap-growing-percent=0');
  };
}

/** Crawls running in this process now (two at once: V8's own factor comes back after the last). */
let tightRuns = 0;

/**
 * Bytes of dropped buffers between two minor collections. Peak RSS of a 2 GiB download: 16 MiB ~7 MiB
 * more than 8 MiB, 4 MiB ~1-2 MiB less than 8 MiB, for the same CPU within the noise. With the young
 * generation kept small (the CLI's `download`), 2 MiB peaked 1.6-2 MiB below 4 MiB on 512 MiB and
 * 2 GiB files, CPU +3% at most (paired runs); 1 MiB gained nothing more.
 */
const YOUNG_GC_BYTES = 2 << 20;
let dropped = 0;

/** Counts `bytes` of buffers just let go of; every YOUNG_GC_BYTES, a minor collection (see below). */
export function droppedBuffers(bytes: number): void {
  dropped += bytes;
  if (dropped < YOUNG_GC_BYTES) return;
  dropped = 0;
  collectYoungGarbage();
}

/** The isolate's `gc()`, made reachable once; null where it cannot be (then nothing is collected). */
let collect: ((options: { type: 'minor' }) => void) | null | undefined;

/**
 * A minor (young-generation) collection now. Each socket read is a fresh 64 KiB ArrayBuffer that the
 * body hands over and the download drops once hashed and copied (batched-writes.ts). V8 frees them
 * only at a collection, and with so little JS allocated per chunk it waits for the external-memory
 * limit (tens of MiB of dead buffers) and then runs full mark-compacts. A scavenge every few MiB
 * frees them young, for less CPU than those mark-compacts cost.
 */
export function collectYoungGarbage(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      // A new context sees the flag; the function it gets collects the whole isolate's heap.
      collect = vm.runInNewContext('gc') as typeof collect;
    } catch {
      collect = null;
    }
  }
  collect?.({ type: 'minor' });
}
