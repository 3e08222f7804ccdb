import type { RawBlock } from './docx-types.js';

interface TableProperty {
  row_size?: number;
  column_size?: number;
  header_row?: boolean;
  merge_info?: { row_span?: number; col_span?: number }[];
}

/**
 * A table block (31) as a GFM table. GFM needs a header row, so the first row is the header, which
 * is how nearly every Feishu table is laid out. GFM has no merged cells: a merged cell's content
 * sits in its top-left cell and a note under the table names the merged ranges.
 *
 * `renderCell` renders one table-cell block (32) as single-line Markdown.
 */
export function renderTable(block: RawBlock, renderCell: (cellId: string) => string): string {
  const table = (block.table ?? {}) as { cells?: string[]; property?: TableProperty };
  const cells = table.cells ?? block.children ?? [];
  if (cells.length === 0) return '[empty table]';
  const property = table.property ?? {};
  const columns = positive(property.column_size) ?? cells.length;
  const rows = Math.ceil(cells.length / columns);

  const grid: string[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < columns; c++) {
      const id = cells[r * columns + c];
      row.push(id === undefined ? '' : escapeTablePipes(renderCell(id)));
    }
    grid.push(row);
  }

  const line = (row: string[]): string => `| ${row.map((cell) => cell || ' ').join(' | ')} |`;
  const out = [line(grid[0]!), `|${' --- |'.repeat(columns)}`, ...grid.slice(1).map(line)];
  const merged = mergedRanges(property.merge_info ?? [], columns);
  if (merged.length > 0) {
    out.push('', `*Merged cells: ${merged.join(', ')} (content shown in the top-left cell).*`);
  }
  return out.join('\n');
}

function positive(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

// A `|` ends a GFM table cell even inside a code span, so every unescaped one is escaped.
function escapeTablePipes(cell: string): string {
  return cell.replace(/(?<!\\)\|/g, '\\|');
}

function mergedRanges(mergeInfo: NonNullable<TableProperty['merge_info']>, columns: number): string[] {
  const ranges: string[] = [];
  mergeInfo.forEach((info, index) => {
    const rowSpan = positive(info?.row_span) ?? 1;
    const colSpan = positive(info?.col_span) ?? 1;
    if (rowSpan === 1 && colSpan === 1) return;
    const row = Math.floor(index / columns);
    const col = index % columns;
    ranges.push(`${cellName(row, col)}:${cellName(row + rowSpan - 1, col + colSpan - 1)}`);
  });
  return ranges;
}

/** Spreadsheet-style cell name: column letters, 1-based row (`A1`, `AB12`). */
export function cellName(row: number, col: number): string {
  let letters = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return `${letters}${row + 1}`;
}
