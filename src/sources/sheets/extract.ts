import type { FoundRef } from '../../inventory/media-refs.js';
import type { Unbackable } from '../../inventory/unbackable.js';

/** `0` -> `A`, `26` -> `AA`. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/**
 * Attachment and embed-image objects in a block of cells (alone or inside a cell's array), located
 * as `sheetId!A1`. `firstRow` is the 0-based row of `values[0]`.
 */
export function extractCells(sheetId: string, firstRow: number, values: readonly unknown[][]): FoundRef[] {
  const refs: FoundRef[] = [];
  values.forEach((row, r) => {
    if (!Array.isArray(row)) return;
    row.forEach((cell, c) => {
      if (!cell || typeof cell !== 'object') return;
      for (const item of Array.isArray(cell) ? cell : [cell]) {
        const o = item as {
          type?: unknown;
          fileToken?: unknown;
          text?: unknown;
          size?: unknown;
          mimeType?: unknown;
        };
        if (!o || typeof o.fileToken !== 'string' || !o.fileToken) continue;
        const location = `${sheetId}!${columnLetters(c)}${firstRow + r + 1}`;
        if (o.type === 'attachment') {
          refs.push({
            fileToken: o.fileToken,
            location,
            scope: sheetId,
            kind: 'sheet_attachment',
            name: typeof o.text === 'string' ? o.text : undefined,
            size: typeof o.size === 'number' ? o.size : undefined,
            mimeType: typeof o.mimeType === 'string' ? o.mimeType : undefined,
          });
        } else if (o.type === 'embed-image') {
          refs.push({ fileToken: o.fileToken, location, scope: sheetId, kind: 'sheet_image' });
        }
      }
    });
  });
  return refs;
}

/**
 * Cell object types that are not media (rich text segments, links, mentions, formulas, dropdowns):
 * https://open.feishu.cn/document/server-docs/docs/sheets-v3/data-types-supported-by-sheets (and `text`
 * segments of rich text)
 * Any other `type` may be media we do not know how to fetch, so it is counted, never skipped quietly.
 */
const NOT_MEDIA = new Set(['text', 'url', 'mention', 'formula', 'multipleValue']);

/**
 * What `extractCells` cannot back up in the same block of cells: an `embed-image` or `attachment`
 * without a `fileToken` (what a `ToString` read gives, and possibly other reads: the docs do not
 * promise the token), and objects of a type we do not know. Located as `extractCells` does, with
 * `[i]` for an object inside a cell's array.
 */
export function unbackableCells(
  sheetId: string,
  firstRow: number,
  values: readonly unknown[][],
): Unbackable[] {
  const out: Unbackable[] = [];
  values.forEach((row, r) => {
    if (!Array.isArray(row)) return;
    row.forEach((cell, c) => {
      if (!cell || typeof cell !== 'object') return;
      const items: unknown[] = Array.isArray(cell) ? cell : [cell];
      items.forEach((item, i) => {
        if (!item || typeof item !== 'object') return;
        const o = item as { type?: unknown; fileToken?: unknown };
        const hasToken = typeof o.fileToken === 'string' && o.fileToken !== '';
        const cellName = `${sheetId}!${columnLetters(c)}${firstRow + r + 1}`;
        const location = Array.isArray(cell) ? `${cellName}[${i}]` : cellName;
        const base = { location, scope: sheetId, reason: 'no_token' as const };
        if (o.type === 'embed-image' || o.type === 'attachment') {
          if (!hasToken)
            out.push({ ...base, kind: o.type === 'attachment' ? 'sheet_attachment' : 'sheet_image' });
        } else if (typeof o.type === 'string' && !NOT_MEDIA.has(o.type)) {
          out.push({ ...base, kind: 'sheet_object', reason: 'unknown_type', detail: o.type.slice(0, 64) });
        } else if (o.type === undefined && hasToken) {
          out.push({ ...base, kind: 'sheet_object', reason: 'unknown_type', detail: '(no type)' });
        }
      });
    });
  });
  return out;
}

/** Floating images listed without a `float_image_token`: nothing to download, so counted. */
export function unbackableFloats(
  sheetId: string,
  items: readonly { float_image_id?: unknown; float_image_token?: unknown }[],
): Unbackable[] {
  return items
    .filter((f) => typeof f.float_image_token !== 'string' || f.float_image_token === '')
    .map((f) => ({
      location: `float:${String(f.float_image_id ?? '?')}`,
      kind: 'float_image' as const,
      reason: 'no_token' as const,
      scope: sheetId,
    }));
}

/** Bytes a values response may use: half the 10 MB cap, so an unusually wide row block still fits. */
export const TARGET_RESPONSE_BYTES = 5 * 1024 * 1024;
/** Cells asked for in a first block, before a response tells how big a row really is. */
export const FIRST_BLOCK_CELLS = 100_000;

/**
 * Rows for the next block: from the first-block cell budget, or from the bytes per row the last
 * response measured, so responses stay well under the 10 MB cap.
 */
export function nextBlockRows(columns: number, measuredBytesPerRow: number | undefined): number {
  if (measuredBytesPerRow && measuredBytesPerRow > 0) {
    return Math.max(1, Math.floor(TARGET_RESPONSE_BYTES / measuredBytesPerRow));
  }
  return Math.max(1, Math.floor(FIRST_BLOCK_CELLS / Math.max(1, columns)));
}
