import { downloadAll } from '../../src/download/index.js';
import { startRun } from '../../src/inventory/runs.js';
import type { Harness } from '../crawl/harness.js';

/** A crawl, then a download of everything it found, unpaced: what the view is rendered from. */
export async function backup(h: Harness): Promise<void> {
  await h.run();
  await downloadAll({
    client: h.client,
    db: h.db,
    outputDir: h.config.outputDir,
    runId: startRun(h.db, 'download'),
    limits: { qps: 1000, perDay: 100_000, concurrency: 4, dayBoundaryTimeZone: 'Asia/Shanghai' },
  });
}
