import type { Config } from '../config/index.js';
import type { CrawlProgress } from '../crawl/summary.js';
import { type DownloadPlan, type DownloadProgress, readQuotaUsage } from '../download/index.js';
import type { Db } from '../inventory/open.js';
import { systemClock } from '../limits/clock.js';
import type { ProgressDisplay } from './progress.js';

/**
 * Feeds the live display from the same sources the closing summary reads, so the two never disagree:
 * media files are rows of the inventory (not references, which count a shared image once per
 * document), and the quota left is the daily counter the downloader spends (not requests, which
 * include retries and drive files).
 */
export class LiveCounts {
  readonly #mediaAtStart: number;
  #quotaReadAt = 0;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly progress: ProgressDisplay,
    private readonly now: () => number = Date.now,
  ) {
    this.#mediaAtStart = db.prepare('SELECT COUNT(*) FROM media').pluck().get() as number;
    progress.update({ mediaFound: this.#mediaAtStart, quotaLeft: this.quotaLeft() });
  }

  /** The media quota left today, as the summary's Quota line counts it. */
  quotaLeft(): number {
    return readQuotaUsage({
      db: this.db,
      perDay: this.config.limits.downloadsPerDay,
      timeZone: this.config.limits.dayBoundaryTimeZone,
      clock: systemClock,
    }).remaining;
  }

  crawled(p: CrawlProgress): void {
    this.progress.update({ docsCrawled: p.documentsDone, mediaFound: this.#mediaAtStart + p.newMedia });
  }

  planned(plan: DownloadPlan): void {
    this.progress.update({
      phase: 'download',
      filesTotal: plan.files,
      bytesTotal: plan.bytesKnown,
      unknownSize: plan.unknownSize,
    });
  }

  downloaded(p: DownloadProgress): void {
    const patch: Parameters<ProgressDisplay['update']>[0] = {
      filesTotal: p.filesTotal,
      filesDone: p.filesDone,
      failed: p.filesFailed,
      bytesTotal: p.bytesTotalKnown,
      bytesDone: p.bytesReceived,
    };
    // One small query, at most twice a second however fast files finish.
    if (this.now() - this.#quotaReadAt >= 500) {
      this.#quotaReadAt = this.now();
      patch.quotaLeft = this.quotaLeft();
    }
    this.progress.update(patch);
  }

  /** After the downloads: the last files' quota, so the display ends on the summary's number. */
  finished(): void {
    this.progress.update({ quotaLeft: this.quotaLeft() });
  }
}
