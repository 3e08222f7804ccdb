import { setRootDocument, upsertRoot } from '../inventory/roots.js';
import type { CrawlRun } from './crawl-run.js';
import { rootTarget } from './root-target.js';

/**
 * Records each configured root and the document it stands for, and schedules the read of that
 * document (a root no source can read is marked skipped instead). Returns the roots' ids.
 */
export function registerRoots(run: CrawlRun): number[] {
  const { db, config, docs, log } = run;
  const rootIds: number[] = [];
  for (const root of config.roots) {
    const rootId = upsertRoot(db, root);
    rootIds.push(rootId);
    const target = rootTarget(root);
    const { id, job } = run.visits.meet(target, undefined, rootId);
    setRootDocument(db, rootId, id);
    if (job && root.type === 'unsupported') {
      docs.markFailed(job.row.id, { status: 'skipped', kind: 'unsupported', message: root.reason });
      run.tally.count(target.type, 'skipped');
      log?.({
        level: 'warn',
        event: 'crawl.root.unsupported',
        message: `Root ${root.token} is ${root.reason}`,
        token: root.token,
      });
      continue;
    }
    run.scheduler.add([job]);
  }
  return rootIds;
}
