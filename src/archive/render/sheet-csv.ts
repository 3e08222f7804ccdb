import { anyText } from './cell-values.js';
import type { CsvCell, CsvOptions } from './csv.js';
import { csvDocument } from './csv.js';
import { noLinks } from './link-resolver.js';

/**
 * One sheet's values, as `values_batch_get` returns them with `valueRenderOption=UnformattedValue`,
 * as a CSV file. Numbers stay numbers; rich cells (segment arrays, attachments, embedded images)
 * are flattened to text, with attachments and images as their local relative paths.
 */
export function renderSheetCsv(values: readonly (readonly unknown[])[], options: CsvOptions = {}): string {
  const links = options.links ?? noLinks;
  const rows = values.map((row) =>
    (Array.isArray(row) ? row : [row]).map(
      (cell): CsvCell => (typeof cell === 'number' ? cell : anyText(cell, links)),
    ),
  );
  return csvDocument(rows, options);
}
