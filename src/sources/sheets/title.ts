import type { SourceContext } from '../types.js';

interface SpreadsheetInfo {
  spreadsheet?: { title?: string };
}

/**
 * A spreadsheet's title, for a spreadsheet configured as a root (no listing names it):
 * https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet/get -> data.spreadsheet.title.
 * Throws the call's FeishuError (1310213 no permission, 1310214 not found, 1310249 deleted).
 */
export async function spreadsheetTitle(ctx: SourceContext, token: string): Promise<string | undefined> {
  const data = await ctx.client.request<SpreadsheetInfo>(
    'sheets.spreadsheet',
    { method: 'GET', url: `/open-apis/sheets/v3/spreadsheets/${encodeURIComponent(token)}` },
    ctx.signal,
  );
  return data.spreadsheet?.title || undefined;
}
