import type { Bucket } from '../feishu/buckets.js';
import type { RecordResult } from '../inventory/media-refs.js';
import {
  type CrawlFailure,
  type CrawlProgress,
  type CrawlSummary,
  type DocumentCounts,
  emptyCounts,
  type FullReadReason,
} from './summary.js';

/** What became of a document in this crawl, counted per type (see `DocumentCounts`). */
export type Outcome = keyof DocumentCounts;

/**
 * The crawl's counters, and the one writer of its summary: every part of the crawl tells it what it
 * did, through these methods, and nothing else writes the summary.
 */
export class Tally {
  readonly summary: CrawlSummary = {
    documents: {},
    failures: [],
    refs: { found: 0, new: 0, gone: 0 },
    media: { new: 0, newVersions: 0 },
    calls: {},
    interrupted: false,
  };
  readonly #calls: ReadonlyMap<Bucket, number>;
  /** The client's calls when the crawl began. */
  readonly #callsBefore: ReadonlyMap<Bucket, number>;

  /** @param calls the client's live count of requests per bucket (`FeishuClient.calls`). */
  constructor(calls: ReadonlyMap<Bucket, number>) {
    this.#calls = calls;
    this.#callsBefore = new Map(calls);
  }

  count(type: string, outcome: Outcome, n = 1): void {
    this.summary.documents[type] ??= emptyCounts();
    this.summary.documents[type][outcome] += n;
  }

  /** The references one page listed, and what recording them added. */
  refs(found: number, recorded: RecordResult): void {
    const { summary } = this;
    summary.refs.found += found;
    summary.refs.new += recorded.newRefs;
    summary.media.new += recorded.newMedia;
    summary.media.newVersions = (summary.media.newVersions ?? 0) + recorded.newVersions;
  }

  /** Media-shaped objects met on a page that nothing can download. */
  unbackable(n: number): void {
    this.summary.unbackable = (this.summary.unbackable ?? 0) + n;
  }

  refsGone(n: number): void {
    this.summary.refs.gone += n;
  }

  failure(failure: CrawlFailure): void {
    this.summary.failures.push(failure);
  }

  /** A document read although its skip key said unchanged (see full-read.ts). */
  checked(reason: FullReadReason): void {
    this.summary.fullRead ??= { reason, checked: 0, misses: 0 };
    const full = this.summary.fullRead;
    if (reason === 'flag') full.reason = 'flag';
    full.checked++;
  }

  /** A checked document whose content changed while its skip key stayed. */
  missed(): void {
    this.summary.fullRead!.misses++;
  }

  /** The tenant's monthly API call quota (99991403) stopped the crawl. */
  monthlyQuota(quota: NonNullable<CrawlSummary['monthlyQuota']>): void {
    this.summary.monthlyQuota = quota;
  }

  /** Whether the signal stopped the crawl. */
  interrupted(interrupted: boolean): void {
    this.summary.interrupted = interrupted;
  }

  /** Requests sent since the crawl began, retries included. */
  callsSince(): number {
    let calls = 0;
    for (const [bucket, n] of this.#calls) calls += n - (this.#callsBefore.get(bucket) ?? 0);
    return calls;
  }

  /** Records the requests sent per bucket since the crawl began; once the reading is over. */
  closeCalls(): void {
    for (const [bucket, n] of this.#calls) {
      const d = n - (this.#callsBefore.get(bucket) ?? 0);
      if (d > 0) this.summary.calls[bucket] = d;
    }
  }

  progress(documentsDone: number, documentsQueued: number): CrawlProgress {
    return {
      documentsDone,
      documentsQueued,
      refsFound: this.summary.refs.found,
      newMedia: this.summary.media.new,
      calls: this.callsSince(),
    };
  }
}
