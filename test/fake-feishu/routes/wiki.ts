import { ContractError, fail, ok } from '../contract.js';
import type { WikiNode, WikiSpace } from '../model.js';
import { allowParams, offsetOf, pageSizeOf, pageTokenFor, paginate } from '../paging.js';
import { type RouteDef, secs } from './route.js';

function renderNode(space: WikiSpace, node: WikiNode): Record<string, unknown> {
  return {
    space_id: space.spaceId,
    node_token: node.nodeToken,
    obj_token: node.objToken,
    obj_type: node.objType,
    parent_node_token: node.parentNodeToken,
    node_type: node.nodeType,
    origin_node_token: node.originNodeToken,
    origin_space_id: space.spaceId,
    has_child: space.nodes.some((n) => n.parentNodeToken === node.nodeToken),
    title: node.title,
    obj_create_time: secs(node.objCreateTime),
    obj_edit_time: secs(node.objEditTime),
    node_create_time: secs(node.objCreateTime),
    creator: 'ou_fakeowner',
    owner: 'ou_fakeowner',
  };
}

export const wikiRoutes: RouteDef[] = [
  {
    // https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/list
    name: 'wiki.spaces',
    method: 'GET',
    pattern: /^\/open-apis\/wiki\/v2\/spaces$/,
    handle(req, { tenant, identity }) {
      allowParams(req.query, ['page_size', 'page_token', 'lang']);
      const size = pageSizeOf(req.query, 50, 20);
      const token = req.query.get('page_token');
      // A user lists the spaces they belong to, the app those it was added to; neither sees the
      // personal library here.
      const user = identity === 'user' ? tenant.user : undefined;
      const spaces = tenant.wikiSpaces.filter((s) =>
        user ? user.memberSpaceIds.includes(s.spaceId) : !tenant.userOnly?.has(s.spaceId),
      );
      // Feishu filters spaces the app cannot see after paging, so a page can come back empty while
      // has_more is true. The fake always does that on the first page: a crawler that stops on an
      // empty page loses every space.
      if (token === null && spaces.length > 0) {
        return ok({ items: [], has_more: true, page_token: pageTokenFor('spaces', 0) });
      }
      const page = paginate(spaces, 'spaces', offsetOf('spaces', token), size);
      return ok({
        items: page.items.map((s) => ({
          space_id: s.spaceId,
          name: s.name,
          description: '',
          space_type: s.spaceType,
          visibility: s.visibility,
        })),
        has_more: page.hasMore,
        ...(page.pageToken ? { page_token: page.pageToken } : {}),
      });
    },
  },
  {
    // https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/list
    name: 'wiki.nodes',
    method: 'GET',
    pattern: /^\/open-apis\/wiki\/v2\/spaces\/(?<space_id>[^/]+)\/nodes$/,
    handle(req, { tenant, identity }) {
      allowParams(req.query, ['page_size', 'page_token', 'parent_node_token']);
      const size = pageSizeOf(req.query, 50, 20);
      let spaceId = req.params.space_id;
      if (spaceId === 'my_library') {
        // The personal library's alias: only a signed-in user has one.
        if (identity !== 'user' || !tenant.user) return fail(400, 131006, 'permission denied');
        spaceId = tenant.user.librarySpaceId;
      }
      const space = tenant.wikiSpaces.find((s) => s.spaceId === spaceId);
      if (!space) return fail(404, 131005, 'not found: space');
      const parent = req.query.get('parent_node_token') ?? '';
      if (parent !== '' && !space.nodes.some((n) => n.nodeToken === parent)) {
        return fail(404, 131005, 'not found: parent node');
      }
      const scope = `nodes:${space.spaceId}:${parent}`;
      const all = space.nodes.filter((n) => n.parentNodeToken === parent);
      const page = paginate(all, scope, offsetOf(scope, req.query.get('page_token')), size);
      return ok({
        items: page.items.map((n) => renderNode(space, n)),
        has_more: page.hasMore,
        ...(page.pageToken ? { page_token: page.pageToken } : {}),
      });
    },
  },
  {
    // https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/get_node
    name: 'wiki.get_node',
    method: 'GET',
    pattern: /^\/open-apis\/wiki\/v2\/spaces\/get_node$/,
    handle(req, { tenant }) {
      allowParams(req.query, ['token', 'obj_type']);
      const token = req.query.get('token');
      if (!token) throw new ContractError('token is required');
      const objType = req.query.get('obj_type') ?? 'wiki';
      const known = ['wiki', 'doc', 'docx', 'sheet', 'mindnote', 'bitable', 'file', 'slides'];
      if (!known.includes(objType)) throw new ContractError(`obj_type ${objType} is not documented`);
      for (const space of tenant.wikiSpaces) {
        const node = space.nodes.find((n) =>
          objType === 'wiki'
            ? n.nodeToken === token
            : n.objToken === token && n.objType === objType && n.nodeType === 'origin',
        );
        if (node) return ok({ node: renderNode(space, node) });
      }
      return fail(404, 131005, 'not found');
    },
  },
  {
    // https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/get: `data.space` (name,
    // description, space_id, space_type, visibility); 131005 not found and 131006 permission denied
    // (visibility.ts), both HTTP 400 as the page says. After `get_node`, whose path this also matches.
    name: 'wiki.space',
    method: 'GET',
    pattern: /^\/open-apis\/wiki\/v2\/spaces\/(?<space_id>[^/]+)$/,
    handle(req, { tenant }) {
      allowParams(req.query, ['lang']);
      const space = tenant.wikiSpaces.find((s) => s.spaceId === req.params.space_id);
      if (!space) return fail(400, 131005, 'space not found');
      return ok({
        space: {
          name: space.name,
          description: '',
          space_id: space.spaceId,
          space_type: space.spaceType,
          visibility: space.visibility,
          open_sharing: 'closed',
        },
      });
    },
  },
];
