import type { SourceContext, Target } from './types.js';

interface FolderMeta {
  name?: string;
}

interface SpaceInfo {
  space?: { name?: string };
}

/**
 * The title of a root that no listing names: a drive folder or a wiki space configured by its token
 * or URL. Undefined for other kinds (a document's own read gives its title) and for an empty name.
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
  return undefined;
}
