import type { Target } from '../config/types.js';
import type { FailingDocument } from '../inventory/failing-documents.js';
import type { NotBackedUp } from './not-backed-up.js';
import type { ReportTarget } from './target.js';

/**
 * What the audit report shows, gathered once from the inventory (`collectReportData`) and rendered
 * without touching the database again (`renderReportHtml`), so each step can be tested alone.
 */

/**
 * The four states an auditor cares about. `gone` wins over the download status: a file no live
 * document references any more is no longer part of the tenant, whatever the backup holds of it.
 */
export type MediaState = 'backed_up' | 'pending' | 'failed' | 'gone';

export const MEDIA_STATES: readonly MediaState[] = ['backed_up', 'pending', 'failed', 'gone'];

export const STATE_LABELS: Record<MediaState, string> = {
  backed_up: 'Backed up',
  pending: 'Pending',
  failed: 'Failed',
  gone: 'Gone',
};

export interface ReportMeta {
  /** The backup's output folder; media.path is relative to it. */
  outputDir: string;
  /** Where the report will be written; links are made relative to its folder. */
  reportPath: string;
  /** The Open API base URL the backup ran against, e.g. https://open.feishu.cn. */
  baseUrl: string;
  /** The roots as configured, in words the user recognises (e.g. `folder:fldcnXXX`). */
  roots: readonly string[];
  /** @default now */
  generatedAt?: Date;
  /** The object storage target from the config, when there is one (README "Object storage"). */
  target?: Target;
}

export interface CountAndBytes {
  files: number;
  bytes: number;
}

export interface ChartBar {
  label: string;
  files: number;
  bytes: number;
  /** An index into `ReportData.mimeTypes`, so a click on the bar can filter the table. */
  mimeIndex?: number;
}

export interface ReportDocument {
  id: number;
  type: string;
  title: string;
  /** Only http(s) URLs survive; anything else from the server is dropped. */
  url: string | null;
}

export interface LargestDocument extends ReportDocument {
  files: number;
  bytes: number;
}

export interface ReportMedia {
  id: number;
  fileToken: string;
  name: string;
  /** An index into `ReportData.mimeTypes`. */
  mimeIndex: number;
  /** Bytes as the source reported them, or as written to disk when the source did not say. */
  size: number | null;
  sha256: string | null;
  state: MediaState;
  /** The inventory's own status (pending | partial | done | failed | error). */
  status: string;
  /** Document ids, those still referencing the file first. */
  appearsIn: number[];
  /** A relative URL from the report's folder to the backed-up file, ready for `href`. */
  href: string | null;
  /** "kind: message" for failed files. */
  error: string | null;
}

export interface FailureGroup {
  kind: string;
  /** The documents holding these files, one entry each, most files first (FailingDocument). */
  documents?: FailingDocument[];
  /** How many documents in all. */
  documentCount?: number;
  files: number;
  bytes: number;
  /** The distinct fixes recorded for this kind, most frequent first. */
  fixes: string[];
  /** The most frequent messages, with how many files each. */
  messages: { message: string; count: number }[];
  /** A few names, so the auditor can find them in the table. */
  examples: string[];
}

export interface DocumentFailureGroup {
  kind: string;
  documents: number;
  /** The documents themselves, named and linked, with their roots. */
  named?: FailingDocument[];
  fixes: string[];
  examples: string[];
}

export interface RunSummary {
  id: number;
  command: string;
  startedAt: string;
  endedAt: string | null;
  status: string;
}

export interface RootSummary {
  spec: string;
  /** The root's title (its kind and token when no listing named it) and where it opens. */
  title?: string;
  url?: string | null;
  documents: number;
  /** False for a configured root the inventory has not crawled yet. */
  crawled: boolean;
}

export interface ReportData {
  generatedAt: string;
  /**
   * `domain`: the tenant's own (from a listing URL, e.g. acme.feishu.cn), else the API host's;
   * `origin`: the tenant's web origin when a listing gave it.
   */
  tenant: { baseUrl: string; domain: string; origin?: string | null };
  roots: RootSummary[];
  /** Newest first. */
  runs: RunSummary[];
  /** Every kind in the inventory; `label` is people's word for it (Document, Wiki page, Base table). */
  documentsByType: {
    type: string;
    label?: string;
    document?: boolean;
    count: number;
    failed: number;
    gone: number;
  }[];
  /** Documents alone (docx, sheets, bases and the kinds the API cannot read), not folders or tables. */
  documentCount: number;
  totals: CountAndBytes;
  byState: Record<MediaState, CountAndBytes>;
  charts: {
    byMime: ChartBar[];
    bySize: ChartBar[];
    byDocumentType: ChartBar[];
    largestDocuments: LargestDocument[];
  };
  failures: FailureGroup[];
  documentFailures: DocumentFailureGroup[];
  mimeTypes: string[];
  /** Every document some media row references. */
  documents: ReportDocument[];
  /** Every media file, largest first. */
  media: ReportMedia[];
  /** Media nothing could download, and files kept at another size than listed (issue 18). */
  notBackedUp?: NotBackedUp;
  /** The object storage target and what of the backup is in it. */
  target?: ReportTarget;
}
