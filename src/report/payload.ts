import {
  MEDIA_STATES,
  type ReportData,
  type ReportDocument,
  type ReportMedia,
  STATE_LABELS,
} from './types.js';

/**
 * What the table script reads: columns rather than one object per row, and documents by position,
 * which keeps 100,000 rows to a few megabytes that JSON.parse reads in tens of milliseconds.
 */
export interface TablePayload {
  states: string[];
  mimes: string[];
  /** [title, type] */
  docs: [string, string][];
  rows: {
    name: string[];
    mime: number[];
    size: (number | null)[];
    /** 1 when the file has a SHA-256, whose digest is then the next one in `shaBlob`. */
    h: (0 | 1)[];
    state: number[];
    /** A position in `docs`, or a list of them when the file appears in several documents. */
    docs: (number | number[])[];
    href: (string | null)[];
    err: (string | null)[];
  };
}

/**
 * The rows of the table's first screen, complete with their digests, embedded ahead of the script
 * so the table can be drawn before the browser has even parsed the rest of the data.
 */
export interface FirstScreen {
  /** Every file in the report, not only the ones here. */
  n: number;
  table: TablePayload;
  /** Lowercase hex digests of `table`'s rows, null where a file has none. */
  sha: (string | null)[];
}

/** Enough rows for the tallest table viewport (720 px of 34 px rows) plus the scroll margin. */
export const FIRST_SCREEN_ROWS = 64;

const SHA256_HEX = /^[0-9a-f]{64}$/i;

function validSha(m: ReportMedia): string | null {
  return m.sha256 && SHA256_HEX.test(m.sha256) ? m.sha256.toLowerCase() : null;
}

/**
 * Every SHA-256 in row order, each as 43 characters of unpadded base64. Random digests are most of
 * a big report's bytes and gain nothing from gzip or JSON; kept apart, the page slices out the
 * few it shows instead of decompressing and parsing them all before the table can appear.
 */
export function shaBlob(media: readonly ReportMedia[]): string {
  let out = '';
  for (const m of media) {
    const sha = validSha(m);
    if (sha) out += Buffer.from(sha, 'hex').toString('base64').slice(0, 43);
  }
  return out;
}

/** The table's columns for `media`, with only the documents those rows appear in. */
export function tablePayload(
  media: readonly ReportMedia[],
  documents: readonly ReportDocument[],
  mimeTypes: readonly string[],
): TablePayload {
  const used = new Set<number>();
  for (const m of media) for (const id of m.appearsIn) used.add(id);
  const kept = documents.filter((doc) => used.has(doc.id));
  const position = new Map(kept.map((doc, i) => [doc.id, i]));
  const stateIndex = new Map(MEDIA_STATES.map((s, i) => [s, i]));
  const rows: TablePayload['rows'] = {
    name: [],
    mime: [],
    size: [],
    h: [],
    state: [],
    docs: [],
    href: [],
    err: [],
  };
  for (const m of media) {
    const where = m.appearsIn.map((id) => position.get(id)).filter((p): p is number => p !== undefined);
    rows.name.push(m.name);
    rows.mime.push(m.mimeIndex);
    rows.size.push(m.size);
    rows.h.push(validSha(m) ? 1 : 0);
    rows.state.push(stateIndex.get(m.state)!);
    rows.docs.push(where.length === 1 ? where[0]! : where);
    rows.href.push(m.href);
    rows.err.push(m.error);
  }
  return {
    states: MEDIA_STATES.map((s) => STATE_LABELS[s]),
    mimes: [...mimeTypes],
    docs: kept.map((doc) => [doc.title, doc.type]),
    rows,
  };
}

export function firstScreen(d: ReportData, rows = FIRST_SCREEN_ROWS): FirstScreen {
  const media = d.media.slice(0, rows);
  return {
    n: d.media.length,
    table: tablePayload(media, d.documents, d.mimeTypes),
    sha: media.map(validSha),
  };
}
