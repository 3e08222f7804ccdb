import type { RawBlock, TextPayload } from './docx-types.js';

/** Typed, forgiving access to a block's payload: snapshots are raw API output, any key may be absent. */

export function field(block: RawBlock, key: string): Record<string, unknown> {
  const value = block[key];
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

export function payload(block: RawBlock, key: string): TextPayload {
  return field(block, key) as TextPayload;
}

/** The `token` of an embed block (sheet, bitable, board, mindnote), when it has one. */
export function token(block: RawBlock, key: string): string | undefined {
  const value = field(block, key).token;
  return typeof value === 'string' && value ? value : undefined;
}

/** Feishu percent-encodes URLs in payloads; shown to a reader they should be decoded. */
export function decodeSafely(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}
