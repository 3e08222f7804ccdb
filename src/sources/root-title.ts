import { driveFileTitle } from './drive/file-title.js';
import { spreadsheetTitle } from './sheets/title.js';
import type { DocType, SourceContext, Target } from './types.js';

/** The root types whose title takes a call of its own (a document's own read gives the others'). */
const TITLED_BY_A_CALL: ReadonlySet<DocType> = new Set(['folder', 'wiki_space', 'sheet', 'file']);

export function titleTakesACall(type: DocType): boolean {
  return TITLED_BY_A_CALL.has(type);
}

interface FolderMeta {
  name?: string;
}

interface SpaceInfo {
  space?: { name?: string };
}

/**
 * The title of a root that no listing names: a drive folder, a wiki space, a spreadsheet or a drive
 * file configured by its token or URL. Undefined for other kinds (a document's own read gives its
 * title) and for an empty name.
 * Throws the call's FeishuError; the caller keeps its fallback name.
 */
export async function rootTitle(ctx: SourceContext, target: Target): Promise<string | undefined> {
  if (target.type === 'folder') {
    // https://open.feishu.cn/document/server-docs/docs/drive-v1/folder/get-folder-meta -> data.name
    const data = await ctx.client.request<FolderMeta>(
      'drive.folder_meta',
      { method: 'GET', url: `/open-apis/drive/explorer/v2/folder/${encodeURIComponent(target.token)}/meta` },
      ctx.signal,
    );
    return data.name || undefined;
  }
  if (target.type === 'wiki_space') {
    // https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/get -> data.space.name
    const data = await ctx.client.request<SpaceInfo>(
      'wiki.space',
      { method: 'GET', url: `/open-apis/wiki/v2/spaces/${encodeURIComponent(target.token)}` },
      ctx.signal,
    );
    return data.space?.name || undefined;
  }
  if (target.type === 'sheet') return spreadsheetTitle(ctx, target.token);
  if (target.type === 'file') return driveFileTitle(ctx, target.token);
  return undefined;
}
