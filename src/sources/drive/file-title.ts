import { FeishuError } from '../../feishu/errors.js';
import type { SourceContext } from '../types.js';

interface Metas {
  metas?: { doc_token?: string; title?: string }[];
  failed_list?: { token?: string; code?: number }[];
}

/** failed_list codes (the page's): 970003 no permission for the metadata; 970005 not found. */
const FAILED_KINDS: Record<number, 'permission' | 'not_found'> = {
  970003: 'permission',
  970005: 'not_found',
};

/**
 * A drive file's title, for a drive file configured as a root (no listing names it):
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/file/batch_query -> data.metas[].title.
 * The call succeeds for a token it cannot describe and lists it in `failed_list` with a code: that is
 * thrown as a FeishuError too, so the caller keeps its fallback name and says why.
 */
export async function driveFileTitle(ctx: SourceContext, token: string): Promise<string | undefined> {
  const operation = 'POST /open-apis/drive/v1/metas/batch_query';
  const data = await ctx.client.request<Metas>(
    'drive.metas',
    {
      method: 'POST',
      url: '/open-apis/drive/v1/metas/batch_query',
      data: { request_docs: [{ doc_token: token, doc_type: 'file' }] },
    },
    ctx.signal,
  );
  const failed = data.failed_list?.find((f) => f.token === token);
  if (failed) {
    const kind = failed.code === undefined ? undefined : FAILED_KINDS[failed.code];
    throw new FeishuError(operation, {
      ...(failed.code === undefined ? {} : { feishuCode: failed.code }),
      msg: 'listed in failed_list',
      kind: kind ?? 'protocol',
    });
  }
  return data.metas?.find((m) => m.doc_token === token)?.title || undefined;
}
