import { FeishuError } from '../../feishu/errors.js';
import type { Source } from '../types.js';

/** The `documents.token` of the My Space container: it has no token of its own until resolved. */
export const MY_SPACE_TOKEN = 'my-space';

interface RootFolderMeta {
  token?: string;
  id?: string;
  user_id?: string;
}

/**
 * My Space (我的空间): `GET /open-apis/drive/explorer/v2/root_folder/meta` names the root folder of
 * whoever calls (the signed-in user with a user token; the app's own space with a tenant token),
 * which is then crawled as a folder like any other. We list it by its token, paged, rather than
 * with an empty `folder_token` (which lists the root unpaged and without shortcuts).
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/folder/get-root-folder-meta
 */
export const mySpaceSource: Source = {
  type: 'my_space',
  async *read(ctx) {
    const operation = 'GET /open-apis/drive/explorer/v2/root_folder/meta';
    const data = await ctx.client.request<RootFolderMeta>(
      'drive.list',
      { method: 'GET', url: '/open-apis/drive/explorer/v2/root_folder/meta' },
      ctx.signal,
    );
    if (!data.token) {
      throw new FeishuError(operation, { msg: 'answer has no root folder token', kind: 'protocol' });
    }
    yield { children: [{ type: 'folder', token: data.token, title: 'My Space' }] };
  },
};
