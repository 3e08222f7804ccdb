import type { FeishuClient } from '../feishu/client.js';
import type { ProgressDisplay } from './progress.js';
import type { Session } from './session.js';

/** The crawl as the CLI calls it; the one place that knows src/crawl's signature. */
export async function runCrawl(
  s: Session,
  client: FeishuClient,
  progress: ProgressDisplay,
  signal: AbortSignal,
): Promise<unknown> {
  void s;
  void client;
  void progress;
  void signal;
  throw new Error('crawl: not yet implemented');
}
