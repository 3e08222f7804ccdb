import type { CellValue, FloatImage, Media, Sheet, Spreadsheet, Tenant } from '../model.js';
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

/**
 * Cell values in the UnformattedValue wire shape (FEISHU-API.md, Sheets), for `SheetSpec.cells`,
 * including the shapes nothing can download (issue 18): an image or attachment without its
 * `fileToken`, and an object of a type the docs do not name.
 */
export const cell = {
  image(fileToken: string, width = 320, height = 240): CellValue {
    return { type: 'embed-image', fileToken, width, height };
  },
  /** Listed with `media.listedSize` when set (see `Media.listedSize`). */
  attachment(media: Media): CellValue {
    const size = media.listedSize ?? media.size;
    return [{ type: 'attachment', fileToken: media.token, text: media.name, size, mimeType: media.mimeType }];
  },
  /** An image as a ToString read gives it, without a token ([secondary]; whether other reads can is [unconfirmed]). */
  imageWithoutToken(id = 207): CellValue {
    return { id, type: 'embed-image', width: 320, height: 240 };
  },
  /** An object of a `type` the docs do not name (a future media kind, say), with whatever fields. */
  unknownObject(type: string, fields: Record<string, unknown> = {}): CellValue {
    return { type, ...fields };
  },
};
