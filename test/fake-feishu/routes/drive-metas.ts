import { ContractError, ok, type RouteContext } from '../contract.js';
import type { Access, MediaState } from '../model.js';
import { allowParams } from '../paging.js';
import type { RouteDef } from './route.js';

/** The doc_type values the page lists; only those the fake models can be found. */
const DOC_TYPES = ['doc', 'sheet', 'bitable', 'mindnote', 'file', 'wiki', 'docx', 'folder', 'synced_block'];
/** failed_list codes from the page: no permission for the metadata; not found or another type. */
const NO_PERMISSION = 970003;
const NOT_FOUND = 970005;

interface Found {
  title: string;
  /** 'ok', or why the caller may not have it. */
  state: Access | MediaState;
}

function find(ctx: RouteContext, token: string, type: string): Found | undefined {
  const { tenant } = ctx;
  switch (type) {
    case 'file': {
      const m = tenant.media.get(token);
      return m?.kind === 'file' ? { title: m.name, state: m.state } : undefined;
    }
    case 'sheet': {
      const s = tenant.sheets.get(token);
      return s && { title: s.title, state: s.access };
    }
    case 'docx': {
      const d = tenant.docs.get(token);
      return d && { title: d.title, state: d.access };
    }
    case 'bitable': {
      const b = tenant.bitables.get(token);
      return b && { title: b.name, state: b.access };
    }
    case 'folder': {
      if (token === tenant.rootFolderToken) return { title: tenant.rootFolderName ?? '', state: 'ok' };
      const e = tenant.drive.get(token);
      return e?.type === 'folder' ? { title: e.name, state: 'ok' } : undefined;
    }
    default:
      return undefined;
  }
}

export const driveMetasRoutes: RouteDef[] = [
  {
    // https://open.feishu.cn/document/server-docs/docs/drive-v1/file/batch_query: body
    // {request_docs: [{doc_token, doc_type}] (1-200), with_url?}; success with `metas` for what the
    // caller may see and `failed_list` [{token, code}] for the rest (970002 type not supported,
    // 970003 no permission, 970005 not found or another type).
    name: 'drive.metas',
    method: 'POST',
    pattern: /^\/open-apis\/drive\/v1\/metas\/batch_query$/,
    handle(req, ctx) {
      allowParams(req.query, ['user_id_type']);
      const body = req.body as { request_docs?: unknown; with_url?: unknown } | undefined;
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw new ContractError('body must be a JSON object');
      const docs = body.request_docs;
      if (!Array.isArray(docs) || docs.length < 1 || docs.length > 200)
        throw new ContractError('request_docs must hold 1 to 200 {doc_token, doc_type}');
      if (body.with_url !== undefined && typeof body.with_url !== 'boolean')
        throw new ContractError('with_url must be a boolean');
      const hidden = ctx.tenant.userOnly;
      const asApp = (ctx.identity ?? 'app') === 'app';
      const metas: Record<string, unknown>[] = [];
      const failed: { token: string; code: number }[] = [];
      for (const d of docs as { doc_token?: unknown; doc_type?: unknown }[]) {
        if (typeof d?.doc_token !== 'string' || !DOC_TYPES.includes(d.doc_type as string))
          throw new ContractError('each request_doc needs a doc_token and a documented doc_type');
        const token = d.doc_token;
        const found = find(ctx, token, d.doc_type as string);
        if (!found || found.state === 'deleted') failed.push({ token, code: NOT_FOUND });
        else if (found.state === 'forbidden' || (asApp && hidden?.has(token)))
          failed.push({ token, code: NO_PERMISSION });
        else
          metas.push({
            doc_token: token,
            doc_type: d.doc_type,
            title: found.title,
            owner_id: 'ou_fakeowner',
            create_time: '1700000000',
            latest_modify_user: 'ou_fakeowner',
            latest_modify_time: '1700000000',
            ...(body.with_url ? { url: `https://fake.feishu.cn/${d.doc_type}/${token}` } : {}),
          });
      }
      return ok({ metas, failed_list: failed });
    },
  },
];
