import type { CellValue, FloatImage, Sheet, Spreadsheet, Tenant } from '../model.js';
import { idRng, type Placement, place } from './tenant.js';

export interface SheetSpec {
  title?: string;
  rowCount?: number;
  columnCount?: number;
  /** `[row, column, value]`, 0-based. */
  cells?: [number, number, CellValue][];
  /** Media tokens shown as floating images. */
  floatImages?: string[];
  /** Makes this sheet a base embedded in the spreadsheet (a table of a base built with addBitable). */
  base?: { appToken: string; tableId: string };
}

export function addSpreadsheet(
  tenant: Tenant,
  options: { title: string; sheets?: SheetSpec[]; folder?: Placement },
): Spreadsheet {
  const rng = idRng(tenant);
  const token = rng.token('shtcn');
  const specs = options.sheets ?? [{}];
  const sheets: Sheet[] = specs.map((spec, index) => {
    const sheetId = rng.token('', 6);
    const cells = new Map<number, Map<number, CellValue>>();
    for (const [r, c, v] of spec.cells ?? []) {
      if (!cells.has(r)) cells.set(r, new Map());
      cells.get(r)!.set(c, v);
    }
    const floatImages: FloatImage[] = (spec.floatImages ?? []).map((mediaToken, i) => ({
      floatImageId: rng.token('', 10),
      floatImageToken: mediaToken,
      range: `${sheetId}!A${i + 1}:A${i + 1}`,
      width: 320,
      height: 240,
      offsetX: 0,
      offsetY: 0,
    }));
    return {
      sheetId,
      title: spec.title ?? `Sheet${index + 1}`,
      index,
      hidden: false,
      rowCount: spec.rowCount ?? 200,
      columnCount: spec.columnCount ?? 20,
      cells,
      floatImages,
      ...(spec.base ? { base: spec.base } : {}),
    };
  });
  const sheet: Spreadsheet = { token, title: options.title, revision: 1, access: 'ok', sheets };
  tenant.sheets.set(token, sheet);
  place(tenant, token, options.title, 'sheet', options.folder ?? 'root');
  return sheet;
}
