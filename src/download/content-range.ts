/**
 * `Content-Range` as a 206 or 416 answer carries it (RFC 9110 §14.4): `bytes <first>-<last>/<complete>`
 * or `bytes * /<complete>` (no space; unsatisfied range, the form of a 416). `total` is undefined when
 * a satisfied range writes `*` (length unknown); the unsatisfied form exists only to give the length,
 * so `bytes *` then `/*` is refused.
 */
export interface ContentRange {
  /** First byte of this body, inclusive; undefined for the unsatisfied form. */
  start?: number;
  /** Last byte of this body, inclusive. */
  end?: number;
  /** Size of the whole file. */
  total?: number;
}

const RANGE = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i;

/** Parses a `Content-Range` header; undefined when it is absent or not a valid byte range. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  if (!value) return undefined;
  const m = RANGE.exec(value);
  if (!m || (m[1] === undefined && m[3] === '*')) return undefined;
  const out: ContentRange = {};
  if (m[3] !== '*') out.total = safeInt(m[3]!);
  if (m[1] !== undefined) {
    out.start = safeInt(m[1]);
    out.end = safeInt(m[2]!);
    if (Number.isNaN(out.start) || Number.isNaN(out.end) || out.end < out.start) return undefined;
    if (out.total !== undefined && out.end >= out.total) return undefined;
  }
  if (out.total !== undefined && Number.isNaN(out.total)) return undefined;
  return out;
}

/** Parses `Content-Length`; undefined when absent or not a non-negative safe integer. */
export function parseContentLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = safeInt(value.trim());
  return Number.isNaN(n) ? undefined : n;
}

function safeInt(digits: string): number {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : Number.NaN;
}
