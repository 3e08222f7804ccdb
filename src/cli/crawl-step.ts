import { type CrawlSummary, crawl } from '../crawl/index.js';
import type { CrawlProgress } from '../crawl/summary.js';
import type { FeishuClient } from '../feishu/client.js';
import type { Session } from './session.js';

/** The crawl as the CLI runs it: progress into the display, events into the output. */
export function runCrawl(
  s: Session,
  client: FeishuClient,
  onProgress: (p: CrawlProgress) => void,
  signal: AbortSignal,
  full = false,
): Promise<CrawlSummary> {
  return crawl({
    client,
    db: s.db,
    config: s.config,
    runId: s.runId,
    signal,
    full,
    log: s.output.log,
    onProgress,
  });
}
