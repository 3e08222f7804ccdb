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
  /** Folders of links to backed-up files, e.g. `media/3f/`; see `rows.loc`. */
  dirs: string[];
  /** Error texts ("kind: message"), each once; see `rows.err`. */
  errs: string[];
  rows: {
    name: string[];
    mime: number[];
    size: (number | null)[];
    /** 1 when the file has a SHA-256, whose digest is then the next one in `shaBlob`. */
    h: (0 | 1)[];
    state: number[];
    /** A position in `docs`, or a list of them when the file appears in several documents. */
    docs: (number | number[])[];
    /**
     * The link to the backed-up file: 0 for none; k for `dirs[k - 1]` + the name, percent-encoded
     * (how nearly every link is built, so only the folder is stored); else the whole link.
     */
    loc: (number | string)[];
    /** 0 for none, k for `errs[k - 1]`. */
    err: number[];
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
    loc: [],
    err: [],
  };
  const dirs = new Map<string, number>();
  const errs = new Map<string, number>();
  const code = (map: Map<string, number>, key: string): number => {
    let k = map.get(key);
    if (k === undefined) {
      k = map.size + 1;
      map.set(key, k);
    }
    return k;
  };
  for (const m of media) {
    const where = m.appearsIn.map((id) => position.get(id)).filter((p): p is number => p !== undefined);
    rows.name.push(m.name);
    rows.mime.push(m.mimeIndex);
    rows.size.push(m.size);
    rows.h.push(validSha(m) ? 1 : 0);
    rows.state.push(stateIndex.get(m.state)!);
    rows.docs.push(where.length === 1 ? where[0]! : where);
    rows.loc.push(linkCode(m, (dir) => code(dirs, dir)));
    rows.err.push(m.error ? code(errs, m.error) : 0);
  }
  return {
    states: MEDIA_STATES.map((s) => STATE_LABELS[s]),
    mimes: [...mimeTypes],
    docs: kept.map((doc) => [doc.title, doc.type]),
    dirs: [...dirs.keys()],
    errs: [...errs.keys()],
    rows,
  };
}

/** See `TablePayload.rows.loc`. The page rebuilds the link with the same encodeURIComponent. */
function linkCode(m: ReportMedia, dirCode: (dir: string) => number): number | string {
  if (!m.href) return 0;
  const cut = m.href.lastIndexOf('/') + 1;
  const dir = m.href.slice(0, cut);
  return m.href.slice(cut) === encodeURIComponent(m.name) ? dirCode(dir) : m.href;
}

/** The link `tablePayload` encoded for row `i`, as the page reads it back. */
export function payloadHref(p: TablePayload, i: number): string | null {
  const loc = p.rows.loc[i]!;
  if (typeof loc === 'string') return loc;
  return loc > 0 ? p.dirs[loc - 1]! + encodeURIComponent(p.rows.name[i]!) : null;
}

export function firstScreen(d: ReportData, rows = FIRST_SCREEN_ROWS): FirstScreen {
  const media = d.media.slice(0, rows);
  return {
    n: d.media.length,
    table: tablePayload(media, d.documents, d.mimeTypes),
    sha: media.map(validSha),
  };
}
