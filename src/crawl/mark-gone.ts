import type { Logger } from '../events.js';
import { type GoneSweep, markUnreachableGone } from '../inventory/gone-documents.js';
import type { Db } from '../inventory/open.js';

/**
 * After a crawl that was not interrupted: marks gone what no root reaches any more, and says which
 * roots kept documents from being marked (an unreadable document under them, or not configured now).
 */
export function markGoneAfterCrawl(
  db: Db,
  runId: number,
  crawledRoots: readonly number[],
  log: Logger | undefined,
): GoneSweep {
  const gone = markUnreachableGone(db, { runId, crawledRoots });
  for (const h of gone.heldBack) {
    const why =
      h.reason === 'unreadable'
        ? `root ${h.spec} has documents that could not be read, and they may have moved there`
        : `root ${h.spec}, which also found them, was not crawled in this run`;
    log?.({
      level: h.reason === 'unreadable' ? 'warn' : 'debug',
      event: 'crawl.gone.held_back',
      message: `${h.documents} documents no longer found were not marked gone: ${why}`,
      root: h.spec,
      documents: h.documents,
      reason: h.reason,
    });
  }
  return gone;
}
