import type { SnapshotKind } from './paths.js';

/** What the sources hand the crawl with each page (`SourcePage.snapshot`), by document kind. */
export interface DocxPart {
  /** Blocks exactly as the blocks API returned them. */
  items: unknown[];
}
export interface SheetPart {
  /** The sheet as `sheets/query` described it. */
  sheet: { sheet_id: string; [key: string]: unknown };
  /** Rows from `values_batch_get` (UnformattedValue), starting at 0-based `startRow`. */
  startRow?: number;
  rows?: unknown[];
  /** The sheet's floating images, as `float_images/query` returned them. */
  floatImages?: unknown[];
}
export interface BitablePart {
  /** Every field of the table, as the fields API returned them. */
  fields?: unknown[];
  /** Records as `records/search` returned them (`fields` keyed by name). */
  items: unknown[];
}

/** Names the document in the file, so a snapshot makes sense on its own. */
export interface SnapshotHeader {
  format: string;
  type: SnapshotKind;
  token: string;
  revision: string;
  title?: string | undefined;
}

/**
 * The snapshot as JSON text, one chunk per staged page, so a document of any size is compressed as
 * it streams and never held whole in memory:
 *   docx           {...header, "blocks": [...]}
 *   sheet          {...header, "sheets": [{...sheet, "values": [[...]], "float_images": [...]}]}
 *   bitable_table  {...header, "fields": [...], "records": [...]}
 */
export function* snapshotJson(header: SnapshotHeader, parts: Iterable<unknown>): Generator<string> {
  const head = JSON.stringify(header).slice(0, -1);
  if (header.type === 'docx') yield* listJson(head, 'blocks', parts, (p) => (p as DocxPart).items);
  else if (header.type === 'bitable_table') yield* bitableJson(head, parts);
  else yield* sheetJson(head, parts);
}

function* listJson(
  head: string,
  key: string,
  parts: Iterable<unknown>,
  items: (part: unknown) => unknown[] | undefined,
): Generator<string> {
  let first = true;
  yield `${head},${JSON.stringify(key)}:[`;
  for (const part of parts) {
    const list = part ? items(part) : undefined;
    if (!list?.length) continue;
    const text = list.map((x) => JSON.stringify(x)).join(',');
    yield first ? text : `,${text}`;
    first = false;
  }
  yield ']}';
}

function* bitableJson(head: string, parts: Iterable<unknown>): Generator<string> {
  // Every page carries the fields (a resumed pass asks for them again); the first page's are written.
  const it = parts[Symbol.iterator]();
  let next = it.next();
  while (!next.done && !next.value) next = it.next();
  const fields = next.done ? [] : ((next.value as BitablePart).fields ?? []);
  const remaining = function* (): Generator<unknown> {
    while (!next.done) {
      yield next.value;
      next = it.next();
    }
  };
  yield* listJson(
    `${head},"fields":${JSON.stringify(fields)}`,
    'records',
    remaining(),
    (p) => (p as BitablePart).items,
  );
}

function* sheetJson(head: string, parts: Iterable<unknown>): Generator<string> {
  yield `${head},"sheets":[`;
  let current: string | undefined;
  let floats: unknown[] = [];
  let firstRow = true;
  let sheets = 0;
  const close = (): string => `],"float_images":${JSON.stringify(floats)}}`;
  for (const raw of parts) {
    if (!raw) continue;
    const part = raw as SheetPart;
    if (part.sheet.sheet_id !== current) {
      if (current !== undefined) yield close();
      current = part.sheet.sheet_id;
      floats = [];
      firstRow = true;
      const info = JSON.stringify(part.sheet).slice(0, -1);
      yield `${sheets++ > 0 ? ',' : ''}${info}${info.length > 1 ? ',' : ''}"values":[`;
    }
    if (part.floatImages) floats = part.floatImages;
    if (part.rows?.length) {
      const text = part.rows.map((r) => JSON.stringify(r)).join(',');
      yield firstRow ? text : `,${text}`;
      firstRow = false;
    }
  }
  if (current !== undefined) yield close();
  yield ']}';
}
