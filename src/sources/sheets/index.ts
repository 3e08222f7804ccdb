import type { Envelope } from '../../feishu/envelope.js';
import { FeishuError } from '../../feishu/errors.js';
import type { FoundRef } from '../../inventory/media-refs.js';
import { splitEmbedded } from '../docx/extract.js';
import type { Source, SourceContext, Target } from '../types.js';
import { columnLetters, extractCells, nextBlockRows, unbackableCells, unbackableFloats } from './extract.js';

interface SheetInfo {
  sheet_id: string;
  title?: string;
  resource_type?: string;
  grid_properties?: { row_count?: number; column_count?: number };
}

interface ValuesData {
  revision?: number;
  valueRanges?: { range?: string; values?: unknown[][] }[];
}

interface MetaInfo {
  sheets?: { sheetId?: string; blockInfo?: { blockToken?: string; blockType?: string } }[];
}

interface FloatImages {
  items?: { float_image_id: string; float_image_token?: string; range?: string }[];
}

/** [unconfirmed] Feishu's code for a values response over 10 MB: read a smaller block. */
const TOO_LARGE_CODE = 90221;

/**
 * Spreadsheets: every sheet (or the one in scope), cells read in row blocks with values_batch_get
 * (UnformattedValue, or embedded images lose their token), then the sheet's floating images.
 * https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet-sheet/query
 * https://open.feishu.cn/document/server-docs/docs/sheets-v3/data-operation/reading-multiple-ranges
 * https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet-sheet-float_image/query
 */
export const sheetSource: Source = {
  type: 'sheet',
  async revision(ctx, target) {
    const sheets = await querySheets(ctx, target);
    const first = sheets.find(isGrid);
    if (!first) return { memo: sheets };
    // The revision comes only with values: read the smallest range there is.
    const data = await readValues(ctx, target.token, `${first.sheet_id}!A1:A1`);
    return { revision: data.revision === undefined ? undefined : `rev:${data.revision}`, memo: sheets };
  },
  async *read(ctx, target, from, memo) {
    const all = (memo as SheetInfo[] | undefined) ?? (await querySheets(ctx, target));
    const sheets = all.filter(isGrid);
    const bases = all.filter((s) => s.resource_type === 'bitable');
    // Bases embedded as sheets are crawled as children (whole, as a docx's embedded base is); a
    // resumed pass finds them among the document's known children instead.
    if (!from && bases.length > 0) {
      const first = sheets[0];
      yield {
        children: await embeddedBases(ctx, target.token, bases),
        next: first ? { phase: `values:${first.sheet_id}`, pageToken: '0' } : undefined,
      };
    }
    // Checkpoint phases: `values:<sheetId>` with the next row in pageToken, then `float:<sheetId>`.
    let skipping = from !== undefined;
    for (const sheet of sheets) {
      const id = sheet.sheet_id;
      if (skipping && from && !from.phase.endsWith(`:${id}`)) continue;
      const resumeFloat = skipping && from?.phase === `float:${id}`;
      let row = skipping && from?.phase === `values:${id}` ? Number(from.pageToken ?? 0) : 0;
      skipping = false;
      const rows = sheet.grid_properties?.row_count ?? 0;
      const columns = sheet.grid_properties?.column_count ?? 0;
      if (!resumeFloat && columns > 0) {
        let bytesPerRow: number | undefined;
        while (row < rows) {
          let count = Math.min(rows - row, nextBlockRows(columns, bytesPerRow));
          let data: ValuesData;
          for (;;) {
            const range = `${id}!A${row + 1}:${columnLetters(columns - 1)}${row + count}`;
            try {
              data = await readValues(ctx, target.token, range);
              break;
            } catch (e) {
              if (!(e instanceof FeishuError) || e.feishuCode !== TOO_LARGE_CODE || count === 1) throw e;
              count = Math.ceil(count / 2);
            }
          }
          const values = data.valueRanges?.[0]?.values ?? [];
          bytesPerRow = values.length > 0 ? JSON.stringify(values).length / values.length : undefined;
          row += count;
          const refs = extractCells(id, row - count, values);
          yield {
            refs,
            unbackable: unbackableCells(id, row - count, values),
            snapshot: { sheet, startRow: row - count, rows: values },
            next: row < rows ? { phase: `values:${id}`, pageToken: String(row) } : { phase: `float:${id}` },
          };
        }
      }
      const floats = await floatImages(ctx, target.token, id);
      yield {
        refs: floats.refs,
        unbackable: unbackableFloats(id, floats.items as { float_image_token?: unknown }[]),
        snapshot: { sheet, floatImages: floats.items },
        next: nextSheetCheckpoint(sheets, id),
      };
    }
  },
};

function nextSheetCheckpoint(
  sheets: SheetInfo[],
  id: string,
): { phase: string; pageToken?: string } | undefined {
  const next = sheets[sheets.findIndex((s) => s.sheet_id === id) + 1];
  return next ? { phase: `values:${next.sheet_id}`, pageToken: '0' } : undefined;
}

async function querySheets(ctx: SourceContext, target: Target): Promise<SheetInfo[]> {
  const data = await ctx.client.call<{ sheets?: SheetInfo[] }>(
    'sheets.query',
    `GET /open-apis/sheets/v3/spreadsheets/${target.token}/sheets/query`,
    (o) =>
      ctx.client.sdk.sheets.v3.spreadsheetSheet.query(
        { path: { spreadsheet_token: target.token } },
        o,
      ) as Promise<Envelope<{ sheets?: SheetInfo[] }>>,
    ctx.signal,
  );
  const sheets = data.sheets ?? [];
  return target.scope ? sheets.filter((s) => s.sheet_id === target.scope) : sheets;
}

/** Only grid sheets hold cells; `bitable` ones are embedded bases, others are skipped. */
function isGrid(s: SheetInfo): boolean {
  return !s.resource_type || s.resource_type === 'sheet';
}

/**
 * The bases behind sheets whose `resource_type` is `bitable`: `metainfo` names each in
 * `blockInfo {blockToken: "<appToken>_<tableId>", blockType: "BITABLE_BLOCK"}`.
 * https://open.feishu.cn/document/server-docs/historic-version/docs/sheets/obtain-spreadsheet-metadata
 * https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/bitable-overview (电子表格嵌入多维表格)
 */
async function embeddedBases(ctx: SourceContext, token: string, bases: SheetInfo[]): Promise<Target[]> {
  const data = await ctx.client.request<MetaInfo>(
    'sheets.metainfo',
    { method: 'GET', url: `/open-apis/sheets/v2/spreadsheets/${token}/metainfo` },
    ctx.signal,
  );
  const wanted = new Set(bases.map((b) => b.sheet_id));
  const children: Target[] = [];
  for (const s of data.sheets ?? []) {
    const block = s.blockInfo;
    if (!s.sheetId || !wanted.has(s.sheetId) || block?.blockType !== 'BITABLE_BLOCK') continue;
    const embedded = splitEmbedded(block.blockToken);
    if (embedded) children.push({ type: 'bitable', token: embedded.token, via: `sheet:${s.sheetId}` });
  }
  return children;
}

function readValues(ctx: SourceContext, token: string, range: string): Promise<ValuesData> {
  return ctx.client.request<ValuesData>(
    'sheets.values',
    {
      method: 'GET',
      url: `/open-apis/sheets/v2/spreadsheets/${token}/values_batch_get`,
      params: {
        ranges: range,
        valueRenderOption: 'UnformattedValue',
        dateTimeRenderOption: 'FormattedString',
      },
    },
    ctx.signal,
  );
}

async function floatImages(
  ctx: SourceContext,
  token: string,
  sheetId: string,
): Promise<{ refs: FoundRef[]; items: unknown[] }> {
  const data = await ctx.client.call<FloatImages>(
    'sheets.float_images',
    `GET /open-apis/sheets/v3/spreadsheets/${token}/sheets/${sheetId}/float_images/query`,
    (o) =>
      ctx.client.sdk.sheets.v3.spreadsheetSheetFloatImage.query(
        { path: { spreadsheet_token: token, sheet_id: sheetId } },
        o,
      ) as Promise<Envelope<FloatImages>>,
    ctx.signal,
  );
  const refs = (data.items ?? [])
    .filter((f) => f.float_image_token)
    .map((f) => ({
      fileToken: f.float_image_token!,
      location: `float:${f.float_image_id}`,
      scope: sheetId,
      kind: 'float_image',
    }));
  return { refs, items: data.items ?? [] };
}
