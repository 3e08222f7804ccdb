/** Per document type: what the crawl did with them. */
export interface DocumentCounts {
  /** Seen in a listing, a root or an embedding. */
  found: number;
  /** Read because new, changed or never finished. */
  changed: number;
  /** Not read: the revision matched the inventory. */
  unchanged: number;
  /** Could not be read (permission, deleted, ...); see `failures`. */
  failed: number;
  /** Cannot be read by design (old docs, mind notes, slides). */
  skipped: number;
  /** Found by an earlier run, reached by no root after this complete one: marked gone (files kept). */
  gone: number;
}

/** Why a document is read although its skip key says unchanged: `--full`, or `crawl.fullEvery` elapsed. */
export type FullReadReason = 'flag' | 'due';

export interface CrawlFailure {
  /** The document is a configured root's own: the root could not be read at all. */
  root?: boolean;
  type: string;
  token: string;
  title?: string | undefined;
  kind: string;
  message: string;
  fix?: string | undefined;
}

export interface CrawlSummary {
  documents: Record<string, DocumentCounts>;
  failures: CrawlFailure[];
  refs: { found: number; new: number; gone: number };
  /**
   * `newVersions`: drive files backed up before that the listing shows with a later version, queued
   * again (absent from summaries written before migration 0011).
   */
  media: { new: number; newVersions?: number };
  /** Media-shaped objects met on the pages read that nothing can download (see inventory/unbackable.ts). */
  unbackable?: number;
  /** Requests sent per bucket during this crawl, retries included. */
  calls: Record<string, number>;
  /**
   * Present when this crawl was a full read (`--full`, or `crawl.fullEvery` elapsed): documents read
   * although their skip key said unchanged, and how many of them had changed all the same.
   */
  fullRead?: { reason: FullReadReason; checked: number; misses: number };
  /** True when the signal stopped the crawl; checkpoints hold where to resume. */
  interrupted: boolean;
  /**
   * The tenant's monthly API call quota (99991403) stopped the crawl: nothing more was read, nothing
   * was marked gone, checkpoints hold where to resume. Absent when it did not happen.
   */
  monthlyQuota?: { code: string; message: string; fix: string };
}

export interface CrawlProgress {
  documentsDone: number;
  documentsQueued: number;
  refsFound: number;
  newMedia: number;
  calls: number;
}

export function emptyCounts(): DocumentCounts {
  return { found: 0, changed: 0, unchanged: 0, failed: 0, skipped: 0, gone: 0 };
}
