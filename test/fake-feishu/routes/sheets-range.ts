import { ContractError } from '../contract.js';

/** A parsed A1 range on one sheet; rows/columns 0-based, end exclusive, clipped later to the grid. */
export interface A1Range {
  sheetId: string;
  startRow: number;
  endRow: number;
  startCol: number;
  endCol: number;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * Parses `sid`, `sid!A1:C10`, `sid!A:C` and `sid!A1:C` (open-ended rows), the forms the sheets v2
 * values APIs document (https://open.feishu.cn/document/server-docs/docs/sheets-v3/data-operation/reading-multiple-ranges).
 */
export function parseRange(raw: string, rowCount: number, columnCount: number): A1Range {
  const bang = raw.indexOf('!');
  const sheetId = bang < 0 ? raw : raw.slice(0, bang);
  if (!sheetId) throw new ContractError(`range ${JSON.stringify(raw)} has no sheet id`);
  if (bang < 0) return { sheetId, startRow: 0, endRow: rowCount, startCol: 0, endCol: columnCount };
  const m = /^([A-Za-z]+)(\d*):([A-Za-z]+)(\d*)$/.exec(raw.slice(bang + 1));
  if (!m) throw new ContractError(`range ${JSON.stringify(raw)} is not in A1 notation`);
  const startRow = m[2] ? Number(m[2]) - 1 : 0;
  const endRow = m[4] ? Number(m[4]) : rowCount;
  const startCol = columnIndex(m[1]!);
  const endCol = columnIndex(m[3]!) + 1;
  if (startRow < 0 || endRow <= startRow || endCol <= startCol) {
    throw new ContractError(`range ${JSON.stringify(raw)} is empty or reversed`);
  }
  return { sheetId, startRow, endRow, startCol, endCol };
}
