import { anyText, mediaText } from './cell-values.js';
import type { CsvCell, CsvOptions } from './csv.js';
import { csvDocument } from './csv.js';
import type { LinkResolver } from './link-resolver.js';
import { noLinks } from './link-resolver.js';

/** A field as `GET .../tables/:table_id/fields` returns it. */
export interface BitableField {
  field_id: string;
  field_name: string;
  /** 1 text, 2 number, 3 single select, 4 multi select, 5 date, 7 checkbox, 11 person, 13 phone,
   * 15 URL, 17 attachment, 18/21 link, 19 lookup, 20 formula, 22 location, 23 group,
   * 1001/1002 created/modified time, 1003/1004 created/modified by, 1005 auto number. */
  type: number;
}

/** A record as `POST .../records/search` returns it: `fields` keyed by field name. */
export interface BitableRecord {
  record_id: string;
  fields: Record<string, unknown>;
}

const DATE_TYPES = new Set([5, 1001, 1002]);

/**
 * One bitable table as a CSV file: `record_id`, then one column per field in field order. Values are
 * rendered by field type (dates as ISO 8601 UTC, people by name, attachments as local relative paths
 * joined with `; `); shapes the renderer does not know fall back to their JSON, never to nothing.
 */
export function renderBitableCsv(
  fields: readonly BitableField[],
  records: readonly BitableRecord[],
  options: CsvOptions = {},
): string {
  const links = options.links ?? noLinks;
  const header: CsvCell[] = ['record_id', ...fields.map((f) => f.field_name)];
  const rows = records.map((record): CsvCell[] => [
    record.record_id,
    ...fields.map((field) => {
      // Search returns fields by name; other record APIs can be asked for ids.
      const value = record.fields?.[field.field_name] ?? record.fields?.[field.field_id];
      return fieldValue(field.type, value, links);
    }),
  ]);
  return csvDocument([header, ...rows], options);
}

/** A value of a field of `type` as one CSV cell. */
export function fieldValue(type: number, value: unknown, links: LinkResolver): CsvCell {
  if (value === null || value === undefined) return '';
  if (type === 2 && typeof value === 'number') return value;
  if (DATE_TYPES.has(type)) return dateText(value);
  if (type === 17 && Array.isArray(value)) {
    return value.map((file) => attachmentText(file, links)).join('; ');
  }
  if ((type === 19 || type === 20) && isTyped(value)) {
    // Lookup and formula values carry the type of what they compute and an array of results.
    const results = Array.isArray(value.value) ? value.value : [value.value];
    if (value.type === 1) return anyText(results, links);
    return results.map((v) => String(fieldValue(value.type, v, links))).join('; ');
  }
  return anyText(value, links);
}

function isTyped(value: unknown): value is { type: number; value: unknown } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'number'
  );
}

function dateText(value: unknown): string {
  if (Array.isArray(value)) return value.map(dateText).join('; ');
  const ms = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return anyText(value, noLinks);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

function attachmentText(file: unknown, links: LinkResolver): string {
  if (typeof file !== 'object' || file === null) return anyText(file, links);
  const { file_token, name } = file as { file_token?: unknown; name?: unknown };
  return mediaText(
    'attachment',
    typeof file_token === 'string' ? file_token : undefined,
    typeof name === 'string' ? name : undefined,
    links,
  );
}
