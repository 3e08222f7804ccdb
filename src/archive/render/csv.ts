/**
 * RFC 4180 CSV that spreadsheet applications open as intended: CRLF record ends, fields quoted when
 * they hold a comma, quote, CR or LF, quotes doubled, every record as wide as the widest.
 */

import type { LinkResolver } from './link-resolver.js';

export interface CsvOptions {
  /**
   * Start with a UTF-8 byte order mark: Excel otherwise reads UTF-8 as the local code page and
   * shows Chinese text as mojibake.
   * @default false
   */
  bom?: boolean;
  /**
   * Where backed-up attachments and images are, relative to the CSV file.
   * @default a resolver that knows none: cells show "not backed up" with the token
   */
  links?: LinkResolver;
  /**
   * Prefix text cells that start with `=`, `+`, `-`, `@`, tab or CR with `'`, so Excel and
   * LibreOffice show them as text instead of evaluating them (CSV formula injection). Numbers are
   * never touched. Off by default because it changes the data; turn it on for files people open.
   * @default false
   */
  escapeFormulas?: boolean;
}

/** A cell before quoting: typed numbers stay apart from text, so only text is formula-escaped. */
export type CsvCell = string | number;

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field, quoted only when RFC 4180 requires it. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Text that a spreadsheet would evaluate as a formula, made inert with a leading `'`. */
export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The whole file: rows padded to one width, CRLF after every record (the last one included). */
export function csvDocument(rows: readonly (readonly CsvCell[])[], options: CsvOptions = {}): string {
  const width = Math.max(0, ...rows.map((row) => row.length));
  const lines = rows.map((row) => {
    const fields: string[] = [];
    for (let i = 0; i < width; i++) {
      const cell = row[i] ?? '';
      const text =
        typeof cell === 'number' ? formatNumber(cell) : options.escapeFormulas ? escapeFormula(cell) : cell;
      fields.push(csvField(text));
    }
    // A record of one empty field would be a blank line, which many readers skip; `""` keeps it.
    return width === 1 && fields[0] === '' ? '""' : fields.join(',');
  });
  return (options.bom ? '\uFEFF' : '') + lines.map((line) => `${line}\r\n`).join('');
}

function formatNumber(n: number): string {
  // `-0` and non-finite values have no spreadsheet meaning worth keeping.
  if (!Number.isFinite(n)) return '';
  return Object.is(n, -0) ? '0' : String(n);
}
