import { ContractError, fail, ok } from '../contract.js';
import type { Access, Tenant } from '../model.js';
import { allowParams } from '../paging.js';
import type { RouteDef } from './route.js';

const TYPES = ['doc', 'sheet', 'file', 'wiki', 'bitable', 'docx', 'mindnote', 'minutes', 'slides'];
const ACTIONS = ['view', 'edit', 'share', 'comment', 'export', 'copy', 'print', 'manage_public'];
/** What "who can create copies, print and download" governs, besides the download itself. */
const SECURITY_ACTIONS = new Set(['export', 'copy', 'print']);

function documentOf(
  tenant: Tenant,
  type: string,
  token: string,
): { access: Access; downloadDisabled?: boolean } | undefined {
  if (type === 'docx') return tenant.docs.get(token);
  if (type === 'sheet') return tenant.sheets.get(token);
  if (type === 'bitable') return tenant.bitables.get(token);
  if (type === 'file') {
    const media = tenant.media.get(token);
    return media?.kind === 'file'
      ? { access: 'ok', downloadDisabled: media.downloadDisabled ?? false }
      : undefined;
  }
  return undefined;
}

export const permissionRoutes: RouteDef[] = [
  {
    // https://open.feishu.cn/document/server-docs/docs/permission/permission-member/auth
    // The app is a reader (view, comment, and export/copy/print unless the document forbids them);
    // it never edits, shares or manages. An unknown token or a type that does not match: 400/1063001.
    name: 'drive.member_auth',
    method: 'GET',
    pattern: /^\/open-apis\/drive\/v1\/permissions\/(?<token>[^/]+)\/members\/auth$/,
    handle(req, ctx) {
      allowParams(req.query, ['type', 'action']);
      const type = req.query.get('type') ?? '';
      const action = req.query.get('action') ?? '';
      if (!TYPES.includes(type)) throw new ContractError(`type must be one of ${TYPES.join(', ')}`);
      if (!ACTIONS.includes(action)) throw new ContractError(`action must be one of ${ACTIONS.join(', ')}`);
      const doc = documentOf(ctx.tenant, type, req.params.token!);
      if (!doc || doc.access === 'deleted') return fail(400, 1063001, 'Invalid parameter');
      const reader = doc.access === 'ok';
      const allowed =
        reader &&
        (action === 'view' ||
          action === 'comment' ||
          (SECURITY_ACTIONS.has(action) && !doc.downloadDisabled));
      return ok({ auth_result: allowed });
    },
  },
];
