import {
  type ChartBar,
  type CountAndBytes,
  type FailureGroup,
  MEDIA_STATES,
  type MediaState,
  type ReportMedia,
} from './types.js';

/** How many MIME types get their own bar before the rest are folded into "other". */
const MIME_BARS = 10;

export const SIZE_BUCKETS: readonly { label: string; below: number }[] = [
  { label: '< 10 KB', below: 10 * 1024 },
  { label: '10–100 KB', below: 100 * 1024 },
  { label: '100 KB–1 MB', below: 1024 * 1024 },
  { label: '1–10 MB', below: 10 * 1024 * 1024 },
  { label: '10–100 MB', below: 100 * 1024 * 1024 },
  { label: '≥ 100 MB', below: Number.POSITIVE_INFINITY },
];

export function totalsByState(media: readonly ReportMedia[]): Record<MediaState, CountAndBytes> {
  const out = Object.fromEntries(MEDIA_STATES.map((s) => [s, { files: 0, bytes: 0 }])) as Record<
    MediaState,
    CountAndBytes
  >;
  for (const m of media) {
    out[m.state].files++;
    out[m.state].bytes += m.size ?? 0;
  }
  return out;
}

/** The most common MIME types by file count, the rest summed into one "other" bar. */
export function mimeBars(media: readonly ReportMedia[], mimeTypes: readonly string[]): ChartBar[] {
  const bars = mimeTypes.map((label, mimeIndex) => ({ label, files: 0, bytes: 0, mimeIndex }));
  for (const m of media) {
    const bar = bars[m.mimeIndex]!;
    bar.files++;
    bar.bytes += m.size ?? 0;
  }
  bars.sort((a, b) => b.files - a.files || b.bytes - a.bytes);
  if (bars.length <= MIME_BARS) return bars;
  const rest = bars.slice(MIME_BARS - 1);
  const other: ChartBar = {
    label: `${rest.length} other types`,
    files: rest.reduce((n, b) => n + b.files, 0),
    bytes: rest.reduce((n, b) => n + b.bytes, 0),
  };
  return [...bars.slice(0, MIME_BARS - 1), other];
}

export function sizeBars(media: readonly ReportMedia[]): ChartBar[] {
  const bars: ChartBar[] = SIZE_BUCKETS.map((b) => ({ label: b.label, files: 0, bytes: 0 }));
  const unknown: ChartBar = { label: 'unknown size', files: 0, bytes: 0 };
  for (const m of media) {
    if (m.size === null) {
      unknown.files++;
      continue;
    }
    const i = SIZE_BUCKETS.findIndex((b) => m.size! < b.below);
    bars[i]!.files++;
    bars[i]!.bytes += m.size;
  }
  return unknown.files > 0 ? [...bars, unknown] : bars;
}

export interface FailureRow {
  name: string;
  size: number | null;
  kind: string | null;
  message: string | null;
  fix: string | null;
}

/** Failed files grouped by the kind of error, largest group first, each with what to do about it. */
export function groupFailures(rows: readonly FailureRow[]): FailureGroup[] {
  const groups = new Map<
    string,
    {
      files: number;
      bytes: number;
      fixes: Map<string, number>;
      messages: Map<string, number>;
      examples: string[];
    }
  >();
  for (const r of rows) {
    const kind = r.kind ?? 'unknown';
    let g = groups.get(kind);
    if (!g) {
      g = { files: 0, bytes: 0, fixes: new Map(), messages: new Map(), examples: [] };
      groups.set(kind, g);
    }
    g.files++;
    g.bytes += r.size ?? 0;
    if (r.fix) g.fixes.set(r.fix, (g.fixes.get(r.fix) ?? 0) + 1);
    const message = r.message ?? '(no message recorded)';
    g.messages.set(message, (g.messages.get(message) ?? 0) + 1);
    if (g.examples.length < 5) g.examples.push(r.name);
  }
  return [...groups.entries()]
    .map(([kind, g]) => ({
      kind,
      files: g.files,
      bytes: g.bytes,
      fixes: byCount(g.fixes).map(([fix]) => fix),
      messages: byCount(g.messages)
        .slice(0, 5)
        .map(([message, count]) => ({ message, count })),
      examples: g.examples,
    }))
    .sort((a, b) => b.files - a.files || a.kind.localeCompare(b.kind));
}

function byCount(counts: Map<string, number>): [string, number][] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
