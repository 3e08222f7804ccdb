import { type FakeRequest, fail, type JsonReply, type RouteContext, type RouteName } from './contract.js';

/** The permission error each product answers when the caller may not see a document. */
function forbidden(route: RouteName): JsonReply {
  // Folder meta documents its own code (HTTP status not stated on the page: 403 [unconfirmed]).
  if (route === 'drive.folder_meta') return fail(403, 91204, 'FORBIDDEN');
  if (route.startsWith('wiki.')) return fail(400, 131006, 'permission denied');
  if (route.startsWith('docx.')) return fail(403, 1770032, 'forbidden');
  if (route.startsWith('sheets.')) return fail(403, 1310213, 'permission denied');
  if (route.startsWith('bitable.')) return fail(403, 1254302, 'permission denied');
  return fail(403, 1061004, 'forbidden');
}

/**
 * Documents only the signed-in user can see (`tenant.userOnly`): a request with the app's token that
 * names one (in the path, or as the folder, parent node or node it asks about) is refused, as Feishu
 * refuses an app that was never added as a collaborator.
 */
export function hiddenFromApp(req: FakeRequest, ctx: RouteContext): JsonReply | undefined {
  const hidden = ctx.tenant.userOnly;
  if (!hidden || hidden.size === 0 || (ctx.identity ?? 'app') !== 'app') return undefined;
  const named = [
    ...Object.values(req.params),
    req.query.get('folder_token'),
    req.query.get('parent_node_token'),
    req.query.get('token'),
  ];
  return named.some((t) => t && hidden.has(t)) ? forbidden(req.route) : undefined;
}
