import { ContractError, fail, type JsonReply, ok } from '../contract.js';
import type { Access, CellValue, Sheet, Spreadsheet, Tenant } from '../model.js';
import { allowParams } from '../paging.js';
import type { RouteDef } from './route.js';
import { columnLetters, parseRange } from './sheets-range.js';

/** The documented cap on a values response; over it Feishu refuses and the crawler must read row blocks. */
export const SHEETS_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** [unconfirmed] The code Feishu gives for a values response over 10 MB. */
export const SHEETS_TOO_LARGE_CODE = 90221;

// The v3 codes, all with HTTP 400: 1310213 Permission Fail, 1310214 SpreadSheet Not Found,
// 1310249 Spreadsheet Deleted (https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet-sheet/query).
function sheetAccess(access: Access): JsonReply | undefined {
  if (access === 'forbidden') return fail(400, 1310213, 'Permission Fail');
  if (access === 'deleted') return fail(400, 1310249, 'Spreadsheet Deleted');
  return undefined;
}

function findSpreadsheet(tenant: Tenant, token: string): Spreadsheet | JsonReply {
  const ss = tenant.sheets.get(token);
  if (!ss) return fail(400, 1310214, 'SpreadSheet Not Found');
  return sheetAccess(ss.access) ?? ss;
}

const RENDER_OPTIONS = ['ToString', 'FormattedValue', 'Formula', 'UnformattedValue'];

/**
 * With ToString (the default) an image in a cell loses its token and becomes a placeholder, so the
 * crawler must ask for UnformattedValue or FormattedValue to find embedded images.
 */
function render(value: CellValue, asText: boolean, placeholderId: () => number): CellValue {
  if (!asText || value === null || typeof value !== 'object') return value;
  const strip = (v: unknown): unknown =>
    v && typeof v === 'object' && (v as { type?: unknown }).type === 'embed-image'
      ? { id: placeholderId(), type: 'embed-image' }
      : v;
  if (Array.isArray(value)) return value.map(strip);
  const stripped = strip(value);
  return stripped === value ? value : [stripped];
}

function readRange(sheet: Sheet, raw: string, asText: boolean, revision: number): Record<string, unknown> {
  const r = parseRange(raw, sheet.rowCount, sheet.columnCount);
  const endRow = Math.min(r.endRow, sheet.rowCount);
  const endCol = Math.min(r.endCol, sheet.columnCount);
  let nextId = 200;
  const values: CellValue[][] = [];
  for (let row = r.startRow; row < endRow; row++) {
    const cells = sheet.cells.get(row);
    const out: CellValue[] = [];
    for (let col = r.startCol; col < endCol; col++) {
      out.push(render(cells?.get(col) ?? null, asText, () => nextId++));
    }
    values.push(out);
  }
  const range =
    endRow > r.startRow
      ? `${sheet.sheetId}!${columnLetters(r.startCol)}${r.startRow + 1}:${columnLetters(endCol - 1)}${endRow}`
      : `${sheet.sheetId}!A1:A1`;
  return { majorDimension: 'ROWS', range, revision, values };
}

export const sheetsRoutes: RouteDef[] = [
  {
    // https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet/get: the spreadsheet's
    // title, owner, token and URL; errors as the other v3 routes (1310213, 1310214, 1310249, HTTP 400).
    name: 'sheets.spreadsheet',
    method: 'GET',
    pattern: /^\/open-apis\/sheets\/v3\/spreadsheets\/(?<token>[^/]+)$/,
    handle(req, { tenant }) {
      allowParams(req.query, ['user_id_type']);
      const ss = findSpreadsheet(tenant, req.params.token!);
      if ('kind' in ss) return ss;
      return ok({
        spreadsheet: {
          title: ss.title,
          owner_id: 'ou_fakeowner',
          token: ss.token,
          url: `https://fake.feishu.cn/sheets/${ss.token}`,
        },
      });
    },
  },
  {
    // https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet-sheet/query
    name: 'sheets.query',
    method: 'GET',
    pattern: /^\/open-apis\/sheets\/v3\/spreadsheets\/(?<token>[^/]+)\/sheets\/query$/,
    handle(req, { tenant }) {
      allowParams(req.query, []);
      const ss = findSpreadsheet(tenant, req.params.token!);
      if ('kind' in ss) return ss;
      return ok({
        sheets: ss.sheets.map((s) =>
          s.base
            ? // An embedded base: no grid (grid_properties comes only with resource_type sheet).
              {
                sheet_id: s.sheetId,
                title: s.title,
                index: s.index,
                hidden: s.hidden,
                resource_type: 'bitable',
              }
            : {
                sheet_id: s.sheetId,
                title: s.title,
                index: s.index,
                hidden: s.hidden,
                grid_properties: {
                  frozen_row_count: 0,
                  frozen_column_count: 0,
                  row_count: s.rowCount,
                  column_count: s.columnCount,
                },
                resource_type: 'sheet',
                merges: [],
              },
        ),
      });
    },
  },
  {
    // https://open.feishu.cn/document/server-docs/historic-version/docs/sheets/obtain-spreadsheet-metadata
    // blockInfo of an embedded base: https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/bitable-overview
    name: 'sheets.metainfo',
    method: 'GET',
    pattern: /^\/open-apis\/sheets\/v2\/spreadsheets\/(?<token>[^/]+)\/metainfo$/,
    handle(req, { tenant }) {
      allowParams(req.query, ['extFields', 'user_id_type']);
      const ss = findSpreadsheet(tenant, req.params.token!);
      if ('kind' in ss) return ss;
      return ok({
        properties: { title: ss.title, ownerUser: 0, sheetCount: ss.sheets.length, revision: ss.revision },
        sheets: ss.sheets.map((s) => ({
          sheetId: s.sheetId,
          title: s.title,
          index: s.index,
          rowCount: s.base ? 0 : s.rowCount,
          columnCount: s.base ? 0 : s.columnCount,
          frozenRowCount: 0,
          frozenColCount: 0,
          ...(s.base
            ? {
                blockInfo: { blockToken: `${s.base.appToken}_${s.base.tableId}`, blockType: 'BITABLE_BLOCK' },
              }
            : {}),
        })),
        spreadsheetToken: ss.token,
      });
    },
  },
  {
    // https://open.feishu.cn/document/server-docs/docs/sheets-v3/data-operation/reading-multiple-ranges
    name: 'sheets.values',
    method: 'GET',
    pattern: /^\/open-apis\/sheets\/v2\/spreadsheets\/(?<token>[^/]+)\/values_batch_get$/,
    handle(req, { tenant }) {
      allowParams(req.query, ['ranges', 'valueRenderOption', 'dateTimeRenderOption', 'user_id_type']);
      const ss = findSpreadsheet(tenant, req.params.token!);
      if ('kind' in ss) return ss;
      const ranges = req.query
        .getAll('ranges')
        .flatMap((r) => r.split(','))
        .filter(Boolean);
      if (ranges.length === 0) throw new ContractError('ranges is required');
      const option = req.query.get('valueRenderOption');
      if (option !== null && !RENDER_OPTIONS.includes(option)) {
        throw new ContractError(`valueRenderOption ${option} is not documented`);
      }
      const dt = req.query.get('dateTimeRenderOption');
      if (dt !== null && dt !== 'FormattedString')
        throw new ContractError(`dateTimeRenderOption ${dt} is not documented`);
      const asText = option === null || option === 'ToString';
      const tooLarge = fail(
        400,
        SHEETS_TOO_LARGE_CODE,
        'response data exceeds 10M, please narrow the ranges',
      );
      // Every cell costs at least `null,`: refuse huge ranges before building them.
      let minBytes = 0;
      for (const raw of ranges) {
        const sheet = ss.sheets.find((s) => s.sheetId === raw.split('!')[0]);
        if (!sheet) continue;
        const r = parseRange(raw, sheet.rowCount, sheet.columnCount);
        minBytes +=
          5 *
          Math.max(0, Math.min(r.endRow, sheet.rowCount) - r.startRow) *
          Math.max(0, Math.min(r.endCol, sheet.columnCount) - r.startCol);
      }
      if (minBytes > SHEETS_MAX_RESPONSE_BYTES) return tooLarge;
      const valueRanges: Record<string, unknown>[] = [];
      for (const raw of ranges) {
        const sheetId = raw.split('!')[0];
        const sheet = ss.sheets.find((s) => s.sheetId === sheetId);
        if (!sheet) return fail(400, 90215, `sheetId not found: ${sheetId}`);
        if (sheet.base) throw new ContractError(`sheet ${sheetId} is an embedded base, not a grid`);
        valueRanges.push(readRange(sheet, raw, asText, ss.revision));
      }
      const data = { revision: ss.revision, spreadsheetToken: ss.token, totalCells: 0, valueRanges };
      data.totalCells = valueRanges.reduce(
        (n, v) => n + (v.values as unknown[][]).reduce((m, r) => m + r.length, 0),
        0,
      );
      const reply = ok(data);
      if (JSON.stringify(reply.body).length > SHEETS_MAX_RESPONSE_BYTES) {
        return tooLarge;
      }
      return reply;
    },
  },
  {
    // https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet-sheet-float_image/query
    name: 'sheets.float_images',
    method: 'GET',
    pattern:
      /^\/open-apis\/sheets\/v3\/spreadsheets\/(?<token>[^/]+)\/sheets\/(?<sheet_id>[^/]+)\/float_images\/query$/,
    handle(req, { tenant }) {
      allowParams(req.query, []);
      const ss = findSpreadsheet(tenant, req.params.token!);
      if ('kind' in ss) return ss;
      const sheet = ss.sheets.find((s) => s.sheetId === req.params.sheet_id);
      if (!sheet) return fail(400, 90215, `sheetId not found: ${req.params.sheet_id}`);
      if (sheet.base) throw new ContractError(`sheet ${sheet.sheetId} is an embedded base, not a grid`);
      return ok({
        items: sheet.floatImages.map((f) => ({
          float_image_id: f.floatImageId,
          float_image_token: f.floatImageToken,
          range: f.range,
          width: f.width,
          height: f.height,
          offset_x: f.offsetX,
          offset_y: f.offsetY,
        })),
      });
    },
  },
];
