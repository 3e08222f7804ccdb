import { createHash } from 'node:crypto';
import { mediaContentKey, mediaSha256 } from './media-bytes.js';
import { type Block, type CellValue, isAdvanced, type MediaState, type Tenant } from './model.js';
import { serverExtra } from './routes/bitable.js';
import { boardPng } from './routes/media.js';

/** One file a perfect backup holds. */
export interface ExpectedMedia {
  token: string;
  /** 'media' (medias/:token/download), 'file' (a drive file), 'board' (a whiteboard exported as PNG). */
  kind: 'media' | 'file' | 'board';
  size: number;
  /** Hex SHA-256 of the bytes; computed on first read by streaming the generator, then cached. */
  readonly sha256: string;
  name: string;
  mimeType: string;
  /** Ok media download; forbidden (403) and deleted (404) ones are listed too so tests can check how they are recorded. */
  state: MediaState;
  /** True when the download needs `extra` (an advanced-permission bitable table). */
  needsExtra: boolean;
  /** The `extra` the server hands out with the attachment value, when it comes from a bitable. */
  extra?: string;
  /** Tokens of the documents (docx, spreadsheet, bitable app) that reference it, and of the drive folder for drive files. */
  docs: string[];
}

/**
 * Walks what a crawler can reach: the drive from its root (folders, shortcuts), every wiki space, and
 * every document embedded in those (sheet and bitable blocks reach their whole spreadsheet or base).
 * Documents the app cannot read (forbidden, deleted) contribute nothing.
 */
export function expectedMedia(tenant: Tenant): Map<string, ExpectedMedia> {
  const out = new Map<string, ExpectedMedia>();
  const seen = new Set<string>();
  const queue: { type: string; token: string }[] = [];

  const add = (token: string, from: string, extra?: { needsExtra?: boolean; extra?: string }): void => {
    const existing = out.get(token);
    if (existing) {
      if (!existing.docs.includes(from)) existing.docs.push(from);
      return;
    }
    if (tenant.boards.has(token)) {
      const png = boardPng(tenant, token);
      out.set(token, {
        token,
        kind: 'board',
        size: png.length,
        sha256: createHash('sha256').update(png).digest('hex'),
        name: `${token}.png`,
        mimeType: 'image/png',
        state: 'ok',
        needsExtra: false,
        docs: [from],
      });
      return;
    }
    const media = tenant.media.get(token);
    if (!media) return;
    let sha: string | undefined;
    const entry: ExpectedMedia = {
      token,
      kind: media.kind,
      size: media.size,
      get sha256() {
        sha ??= mediaSha256(tenant.seed, mediaContentKey(media), media.size);
        return sha;
      },
      name: media.name,
      mimeType: media.mimeType,
      // A download the document forbids is refused like a forbidden file: nothing reaches the disk.
      state: media.downloadDisabled ? 'forbidden' : media.state,
      needsExtra: extra?.needsExtra ?? false,
      ...(extra?.extra ? { extra: extra.extra } : {}),
      docs: [from],
    };
    out.set(token, entry);
  };

  const visit = (type: string, token: string): void => {
    const key = `${type}:${token}`;
    if (seen.has(key)) return;
    seen.add(key);
    queue.push({ type, token });
  };

  // Drive, from the root down.
  const walkFolder = (folder: string): void => {
    for (const entry of tenant.drive.values()) {
      if (entry.parentToken !== folder) continue;
      if (entry.type === 'folder') {
        if (!seen.has(`folder:${entry.token}`)) {
          seen.add(`folder:${entry.token}`);
          walkFolder(entry.token);
        }
      } else if (entry.type === 'file') add(entry.token, folder);
      else if (entry.type === 'shortcut' && entry.shortcut) {
        if (entry.shortcut.targetType === 'folder') {
          if (!seen.has(`folder:${entry.shortcut.targetToken}`)) {
            seen.add(`folder:${entry.shortcut.targetToken}`);
            walkFolder(entry.shortcut.targetToken);
          }
        } else if (entry.shortcut.targetType === 'file') add(entry.shortcut.targetToken, folder);
        else visit(entry.shortcut.targetType, entry.shortcut.targetToken);
      } else visit(entry.type, entry.token);
    }
  };
  walkFolder(tenant.rootFolderToken);
  for (const space of tenant.wikiSpaces) {
    for (const node of space.nodes) {
      if (node.objType === 'file') add(node.objToken, space.spaceId);
      else visit(node.objType, node.objToken);
    }
  }

  while (queue.length > 0) {
    const { type, token } = queue.shift()!;
    if (type === 'docx') {
      const doc = tenant.docs.get(token);
      if (doc?.access !== 'ok') continue;
      for (const b of doc.blocks) {
        for (const t of blockMediaTokens(b)) add(t, token);
        const embedded = embeddedDoc(b);
        if (embedded) visit(embedded.type, embedded.token);
      }
    } else if (type === 'sheet') {
      const ss = tenant.sheets.get(token);
      if (ss?.access !== 'ok') continue;
      for (const sheet of ss.sheets) {
        for (const row of sheet.cells.values())
          for (const v of row.values()) for (const t of cellTokens(v)) add(t, token);
        for (const f of sheet.floatImages) add(f.floatImageToken, token);
        if (sheet.base) visit('bitable', sheet.base.appToken);
      }
    } else if (type === 'bitable') {
      const app = tenant.bitables.get(token);
      if (app?.access !== 'ok') continue;
      // An advanced base whose records the app may not see gives it nothing to back up.
      if (isAdvanced(app) && app.appCanManage === false) continue;
      for (const table of app.tables) {
        for (const rec of table.records) {
          for (const v of Object.values(rec.fields)) {
            if (!v || typeof v !== 'object') continue;
            for (const t of v.attachments) {
              // Listed without its token: no backup can reach it (counted as not backed up instead).
              if (tenant.media.get(t)?.listedWithoutToken) continue;
              add(t, token, { needsExtra: table.advancedPerm, extra: serverExtra(table) });
            }
          }
        }
      }
    }
  }
  return out;
}

/** Media tokens a block carries: image, file, board, and inline files in its text elements. */
export function blockMediaTokens(b: Block): string[] {
  const out: string[] = [];
  if (b.block_type === 27) out.push((b.image as { token: string }).token);
  if (b.block_type === 23) out.push((b.file as { token: string }).token);
  if (b.block_type === 43) out.push((b.board as { token: string }).token);
  for (const value of Object.values(b)) {
    const elements = (value as { elements?: unknown })?.elements;
    if (!Array.isArray(elements)) continue;
    for (const el of elements) {
      const t = (el as { file?: { file_token?: unknown } }).file?.file_token;
      if (typeof t === 'string') out.push(t);
    }
  }
  return out;
}

function embeddedDoc(b: Block): { type: string; token: string } | undefined {
  const split = (t: string): string => t.slice(0, t.lastIndexOf('_'));
  if (b.block_type === 30) return { type: 'sheet', token: split((b.sheet as { token: string }).token) };
  if (b.block_type === 18) return { type: 'bitable', token: split((b.bitable as { token: string }).token) };
  const synced = (b.reference_synced as { source_document_id?: string } | undefined)?.source_document_id;
  if (synced) return { type: 'docx', token: synced };
  const base = (b.reference_base as { token?: string } | undefined)?.token;
  if (base) return { type: 'bitable', token: base.includes('_') ? split(base) : base };
  return undefined;
}

/** Tokens in a cell: attachment and embed-image objects, alone or inside the cell's array. */
export function cellTokens(v: CellValue): string[] {
  const items = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const o = item as { type?: unknown; fileToken?: unknown };
    if ((o.type === 'attachment' || o.type === 'embed-image') && typeof o.fileToken === 'string')
      out.push(o.fileToken);
  }
  return out;
}
