import type { Logger } from '../events.js';
import type { Db } from '../inventory/open.js';
import { changed, diffContent, type LiveContent, SkipKeyRepo } from '../inventory/skip-keys.js';
import type { Target } from '../sources/types.js';
import type { FullReadReason } from './summary.js';
import type { Tally } from './tally.js';

/** A document read although its skip key said unchanged: what the inventory held before the read. */
export interface Check {
  skipKey: string;
  before: LiveContent;
}

export interface FullReadOptions {
  /** `--full`: every document whose skip key says unchanged is read all the same. */
  full: boolean;
  /** `crawl.fullEvery`: how old a document's last content read may grow; null: never checked for age. */
  everyMs: number | null;
  db: Db;
  runId: number;
  tally: Tally;
  log: Logger | undefined;
}

/**
 * Checks the skip keys. The keys (bitable table `revision`, docx `revision_id`, drive
 * `modified_time`, wiki `obj_edit_time`, sheet `revision`) are not promised by the docs to move on
 * every edit, so the tool checks them itself: with `--full`, or when the document's content was last
 * read longer ago than `crawl.fullEvery`. Per document, so an interrupted crawl resumes the check
 * where it stopped, and a stale key costs at most that period.
 */
export class FullRead {
  readonly #skipKeys: SkipKeyRepo;

  constructor(private readonly options: FullReadOptions) {
    this.#skipKeys = new SkipKeyRepo(options.db);
  }

  /** Why to read a document its skip key calls unchanged, or undefined to leave it. */
  reason(documentId: number, now: number): FullReadReason | undefined {
    const { full, everyMs } = this.options;
    if (full) return 'flag';
    if (everyMs === null) return undefined;
    const last = this.#skipKeys.lastRead(documentId);
    return last === undefined || now - last >= everyMs ? 'due' : undefined;
  }

  begin(documentId: number, skipKey: string, reason: FullReadReason): Check {
    this.options.tally.checked(reason);
    return { skipKey, before: this.#skipKeys.live(documentId) };
  }

  /**
   * After the checking read is written (inside its final transaction): records a miss when the
   * references or child documents changed while the key stayed. Returns whether it did.
   */
  end(target: Target, documentId: number, check: Check, contentChanged: boolean): boolean {
    const { runId, tally, log } = this.options;
    const diff = diffContent(check.before, this.#skipKeys.live(documentId), contentChanged);
    if (!changed(diff)) return false;
    this.#skipKeys.recordMiss(documentId, runId, check.skipKey, diff);
    tally.missed();
    log?.({
      level: 'warn',
      event: 'crawl.skip_key.miss',
      message: `${target.type} ${target.title ?? target.token}: content changed while its skip key (${check.skipKey}) did not (+${diff.refsNew}/-${diff.refsGone} media references, +${diff.childrenNew}/-${diff.childrenGone} documents${diff.contentChanged ? ', content differs from its snapshot' : ''}); recorded for \`status\`.`,
      type: target.type,
      token: target.token,
    });
    return true;
  }

  /** Once the crawl is over: records the full read, when there was one, for `status`. */
  finish(): void {
    const full = this.options.tally.summary.fullRead;
    if (full) this.#skipKeys.fullReadDone(this.options.runId, full.reason, full.checked, full.misses);
  }
}
