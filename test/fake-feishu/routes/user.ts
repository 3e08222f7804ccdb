import { ok } from '../contract.js';
import { allowParams } from '../paging.js';
import type { RouteDef } from './route.js';

export const userRoutes: RouteDef[] = [
  {
    // https://open.feishu.cn/document/server-docs/docs/drive-v1/folder/get-root-folder-meta: the
    // caller's own root folder; with a tenant token the app's own space (here the tenant's root).
    name: 'drive.root_meta',
    method: 'GET',
    pattern: /^\/open-apis\/drive\/explorer\/v2\/root_folder\/meta$/,
    handle(req, { tenant, identity }) {
      allowParams(req.query, []);
      const user = identity === 'user' ? tenant.user : undefined;
      const token = user ? user.rootFolderToken : tenant.rootFolderToken;
      return ok({ token, id: String(7_110_173_013_420_512_356n), user_id: user?.openId ?? tenant.appId });
    },
  },
];
