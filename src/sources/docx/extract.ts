import type { FoundRef } from '../../inventory/media-refs.js';
import type { Unbackable } from '../../inventory/unbackable.js';
import type { Target } from '../types.js';

/** A block as the docx blocks API returns it. */
export interface Block {
  block_id: string;
  block_type: number;
  parent_id?: string;
  [payload: string]: unknown;
}

// https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/data-structure/block
const IMAGE = 27;
const FILE = 23;
const SHEET = 30;
const BITABLE = 18;
const BOARD = 43;
/**
 * Block types that carry a `token` we read elsewhere or cannot fetch by design: mind notes (29, no
 * media API, as for mind notes listed in the drive). Any other unhandled type with a `token` is
 * counted as `docx_block` / `unknown_type`, by type, so a real tenant can tell us what to add.
 */
const TOKEN_NOT_MEDIA = new Set([29]);
/** Payloads read by their key whatever the block type (see the synced and reference blocks below). */
const HANDLED_BY_PAYLOAD = new Set(['reference_base', 'reference_synced']);

/**
 * The media and embedded documents of a page of blocks: image and file blocks (file blocks sit inside
 * view blocks, so every block is looked at, not just top-level ones), inline files in any text element,
 * whiteboards, embedded sheets and bitables (whose `token` is `<docToken>_<sheetOrTableId>`), and the
 * documents and bases that synced and reference blocks show.
 */
export function extractBlocks(blocks: readonly Block[]): {
  refs: FoundRef[];
  children: Target[];
  unbackable: Unbackable[];
} {
  const refs: FoundRef[] = [];
  const children: Target[] = [];
  const unbackable: Unbackable[] = [];
  for (const b of blocks) {
    const payload = (key: string): Record<string, unknown> | undefined => {
      const v = b[key];
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
    };
    if (b.block_type === IMAGE) {
      const token = str(payload('image')?.token);
      if (token) refs.push({ fileToken: token, location: b.block_id, kind: 'image' });
      else unbackable.push({ location: b.block_id, kind: 'docx_image', reason: 'no_token' });
    } else if (b.block_type === FILE) {
      const file = payload('file');
      const token = str(file?.token);
      if (token) refs.push({ fileToken: token, location: b.block_id, kind: 'file', name: str(file?.name) });
      else unbackable.push({ location: b.block_id, kind: 'docx_file', reason: 'no_token' });
    } else if (b.block_type === BOARD) {
      const token = str(payload('board')?.token);
      if (token) {
        children.push({ type: 'board', token });
        refs.push({ fileToken: token, location: b.block_id, kind: 'board', source: 'board' });
      }
    } else if (b.block_type === SHEET || b.block_type === BITABLE) {
      const key = b.block_type === SHEET ? 'sheet' : 'bitable';
      const embedded = splitEmbedded(str(payload(key)?.token));
      // The whole spreadsheet or base is crawled: a superset of the embedded view, so nothing is missed.
      if (embedded) children.push({ type: key, token: embedded.token, via: `block:${b.block_id}` });
    } else if (!TOKEN_NOT_MEDIA.has(b.block_type)) {
      const key = tokenPayloadKey(b);
      if (key) {
        const detail = `block_type ${b.block_type} ${key}`.slice(0, 80);
        unbackable.push({ location: b.block_id, kind: 'docx_block', reason: 'unknown_type', detail });
      }
    }
    // Content that lives elsewhere: a synced block pasted from another document (its source
    // document is read whole; needs read access to it), and a reference to a base (its block_type
    // is in no doc page, so it is found by its payload; `token` may or may not carry `_<tableId>`).
    // https://open.feishu.cn/document/docs/docs/data-structure/block (ReferenceSynced), docs FAQ 22
    const synced = str(payload('reference_synced')?.source_document_id);
    if (synced) children.push({ type: 'docx', token: synced, via: `reference_synced:${b.block_id}` });
    const base = splitEmbedded(str(payload('reference_base')?.token));
    if (base) children.push({ type: 'bitable', token: base.token, via: `reference_base:${b.block_id}` });
    for (const [key, value] of Object.entries(b)) {
      const elements = (value as { elements?: unknown } | null)?.elements;
      if (!Array.isArray(elements)) continue;
      elements.forEach((el, i) => {
        const file = (el as { file?: { file_token?: unknown } } | null)?.file;
        if (!file || typeof file !== 'object') return;
        const token = str(file.file_token);
        const location = `${b.block_id}/${key}[${i}]`;
        if (token) refs.push({ fileToken: token, location, kind: 'inline_file' });
        else unbackable.push({ location, kind: 'docx_inline_file', reason: 'no_token' });
      });
    }
  }
  return { refs, children, unbackable };
}

/** The payload key of a block whose payload object carries a non-empty string `token`. */
function tokenPayloadKey(b: Block): string | undefined {
  for (const [key, value] of Object.entries(b)) {
    if (HANDLED_BY_PAYLOAD.has(key)) continue;
    if (value && typeof value === 'object' && str((value as { token?: unknown }).token)) return key;
  }
  return undefined;
}

/** `<token>_<id>` -> its parts; the id never holds an underscore. */
export function splitEmbedded(value: string | undefined): { token: string; id: string } | undefined {
  if (!value) return undefined;
  const at = value.lastIndexOf('_');
  if (at <= 0 || at === value.length - 1) return { token: value, id: '' };
  return { token: value.slice(0, at), id: value.slice(at + 1) };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
