import type { Harness } from '../crawl/harness.js';

/** A crawl, then an unpaced download of everything it found: what the view is rendered from. */
export async function backup(h: Harness): Promise<void> {
  await h.run();
  await h.download({
    limits: { qps: 1000, perDay: 100_000, concurrency: 4, dayBoundaryTimeZone: 'Asia/Shanghai' },
  });
}
