import { ContractError, fail, type JsonReply, ok } from '../contract.js';
import type { Access } from '../model.js';
import { allowParams, offsetOf, pageSizeOf, paginate } from '../paging.js';
import type { RouteDef } from './route.js';

export function accessFailure(access: Access, kind: string): JsonReply | undefined {
  if (access === 'forbidden') return fail(403, 1770032, `forbidden: the app cannot read this ${kind}`);
  if (access === 'deleted') return fail(404, 1770002, `not found: ${kind} deleted`);
  return undefined;
}

export const docxRoutes: RouteDef[] = [
  {
    // https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/get
    name: 'docx.document',
    method: 'GET',
    pattern: /^\/open-apis\/docx\/v1\/documents\/(?<document_id>[^/]+)$/,
    handle(req, { tenant }) {
      allowParams(req.query, []);
      const doc = tenant.docs.get(req.params.document_id!);
      if (!doc) return fail(404, 1770002, 'not found');
      const denied = accessFailure(doc.access, 'document');
      if (denied) return denied;
      return ok({ document: { document_id: doc.documentId, revision_id: doc.revisionId, title: doc.title } });
    },
  },
  {
    // https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/list
    name: 'docx.blocks',
    method: 'GET',
    pattern: /^\/open-apis\/docx\/v1\/documents\/(?<document_id>[^/]+)\/blocks$/,
    handle(req, { tenant }) {
      allowParams(req.query, ['page_size', 'page_token', 'document_revision_id', 'user_id_type']);
      const size = pageSizeOf(req.query, 500, 500);
      const doc = tenant.docs.get(req.params.document_id!);
      if (!doc) return fail(404, 1770002, 'not found');
      const denied = accessFailure(doc.access, 'document');
      if (denied) return denied;
      const rev = req.query.get('document_revision_id');
      if (rev !== null && rev !== '-1') {
        if (!/^\d+$/.test(rev))
          throw new ContractError(`document_revision_id must be -1 or a revision, got ${rev}`);
        // Only the latest revision is kept here: asking for an older one reads as "not found".
        if (Number(rev) !== doc.revisionId) return fail(404, 1770002, 'not found: revision');
      }
      const scope = `blocks:${doc.documentId}`;
      const page = paginate(doc.blocks, scope, offsetOf(scope, req.query.get('page_token')), size);
      return ok({
        items: page.items,
        has_more: page.hasMore,
        ...(page.pageToken ? { page_token: page.pageToken } : {}),
      });
    },
  },
];
