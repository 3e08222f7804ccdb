import { ContractError, fail, type JsonReply, ok } from '../contract.js';
import { type Bitable, type BitableTable, isAdvanced, type Media, type Tenant } from '../model.js';
import { allowParams, offsetOf, pageSizeOf, paginate } from '../paging.js';
import type { RouteDef } from './route.js';

/**
 * [unconfirmed] How big a records/search answer may be before Feishu answers 200 + 1254030
 * TooLargeResponse ("响应体过大", https://open.feishu.cn/document/docs/bitable-v1/app-table-record/search);
 * the page gives no number. The reader is to ask for a smaller page.
 */
export const BITABLE_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
export const BITABLE_TOO_LARGE_CODE = 1254030;

function findApp(tenant: Tenant, appToken: string): Bitable | JsonReply {
  const app = tenant.bitables.get(appToken);
  if (!app || app.access === 'deleted') return fail(404, 1254004, 'not found: app');
  if (app.access === 'forbidden') return fail(403, 1254302, 'permission denied');
  return app;
}

function findTable(
  tenant: Tenant,
  appToken: string,
  tableId: string,
): { app: Bitable; table: BitableTable } | JsonReply {
  const app = findApp(tenant, appToken);
  if ('kind' in app) return app;
  const table = app.tables.find((t) => t.tableId === tableId);
  if (!table) return fail(404, 1254004, 'not found: table');
  return { app, table };
}

/** The `extra` the server hands out with every attachment value (the real sample's second form). */
export function serverExtra(table: BitableTable): string {
  return JSON.stringify({ bitablePerm: { tableId: table.tableId, rev: table.revision } });
}

function renderAttachment(
  baseUrl: string,
  table: BitableTable,
  token: string,
  media: Media | undefined,
): unknown {
  const extra = encodeURIComponent(serverExtra(table));
  return {
    ...(media?.listedWithoutToken ? {} : { file_token: token }),
    name: media?.name ?? 'unknown',
    size: media?.listedSize ?? media?.size ?? 0,
    type: media?.mimeType ?? 'application/octet-stream',
    url: `${baseUrl}/open-apis/drive/v1/medias/${token}/download?extra=${extra}`,
    tmp_url: `${baseUrl}/open-apis/drive/v1/medias/batch_get_tmp_download_url?file_tokens=${token}&extra=${extra}`,
  };
}

function listReply<T>(
  items: T[],
  page: { hasMore: boolean; pageToken: string | undefined },
  total: number,
): JsonReply {
  return ok({
    items,
    has_more: page.hasMore,
    ...(page.pageToken ? { page_token: page.pageToken } : {}),
    total,
  });
}

export const bitableRoutes: RouteDef[] = [
  {
    // https://open.feishu.cn/document/server-docs/docs/bitable-v1/app/get
    name: 'bitable.app',
    method: 'GET',
    pattern: /^\/open-apis\/bitable\/v1\/apps\/(?<app_token>[^/]+)$/,
    handle(req, { tenant }) {
      allowParams(req.query, []);
      const app = findApp(tenant, req.params.app_token!);
      if ('kind' in app) return app;
      return ok({
        app: {
          app_token: app.appToken,
          name: app.name,
          revision: 1 + app.tables.length,
          is_advanced: isAdvanced(app),
          time_zone: 'Asia/Shanghai',
          formula_type: 1,
          advance_version: 'v2',
        },
      });
    },
  },
  {
    // https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table/list
    name: 'bitable.tables',
    method: 'GET',
    pattern: /^\/open-apis\/bitable\/v1\/apps\/(?<app_token>[^/]+)\/tables$/,
    handle(req, { tenant }) {
      allowParams(req.query, ['page_size', 'page_token']);
      const size = pageSizeOf(req.query, 100, 20);
      const app = findApp(tenant, req.params.app_token!);
      if ('kind' in app) return app;
      const scope = `tables:${app.appToken}`;
      const page = paginate(app.tables, scope, offsetOf(scope, req.query.get('page_token')), size);
      const items = page.items.map((t) => ({ table_id: t.tableId, revision: t.revision, name: t.name }));
      return listReply(items, page, app.tables.length);
    },
  },
  {
    // https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-field/list
    name: 'bitable.fields',
    method: 'GET',
    pattern: /^\/open-apis\/bitable\/v1\/apps\/(?<app_token>[^/]+)\/tables\/(?<table_id>[^/]+)\/fields$/,
    handle(req, { tenant }) {
      allowParams(req.query, ['page_size', 'page_token', 'view_id', 'text_field_as_array']);
      const size = pageSizeOf(req.query, 100, 20);
      const found = findTable(tenant, req.params.app_token!, req.params.table_id!);
      if ('kind' in found) return found;
      const { table } = found;
      const scope = `fields:${table.tableId}`;
      const page = paginate(table.fields, scope, offsetOf(scope, req.query.get('page_token')), size);
      const items = page.items.map((f, i) => ({
        field_id: f.fieldId,
        field_name: f.fieldName,
        type: f.type,
        ui_type: f.uiType,
        property: null,
        is_primary: i === 0 && !req.query.get('page_token'),
      }));
      return listReply(items, page, table.fields.length);
    },
  },
  {
    // https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/bitable-v1/app-table-record/search
    name: 'bitable.records',
    method: 'POST',
    pattern:
      /^\/open-apis\/bitable\/v1\/apps\/(?<app_token>[^/]+)\/tables\/(?<table_id>[^/]+)\/records\/search$/,
    handle(req, { tenant, baseUrl }) {
      allowParams(req.query, ['page_size', 'page_token', 'user_id_type']);
      const size = pageSizeOf(req.query, 500, 20);
      const body = (req.body ?? {}) as { field_names?: unknown; automatic_fields?: unknown };
      if (typeof body !== 'object' || Array.isArray(body))
        throw new ContractError('body must be a JSON object');
      const found = findTable(tenant, req.params.app_token!, req.params.table_id!);
      if ('kind' in found) return found;
      const { app, table } = found;
      let wanted = table.fields;
      if (body.field_names !== undefined) {
        if (!Array.isArray(body.field_names))
          throw new ContractError('field_names must be an array of names');
        const names = body.field_names as string[];
        const unknown = names.filter((n) => !table.fields.some((f) => f.fieldName === n));
        if (unknown.length) return fail(400, 1254045, `FieldNameNotFound: ${unknown.join(', ')}`);
        wanted = table.fields.filter((f) => names.includes(f.fieldName));
      }
      // An advanced base read by an app without manage rights: success, and no records at all.
      if (isAdvanced(app) && app.appCanManage === false)
        return listReply([], { hasMore: false, pageToken: undefined }, 0);
      const scope = `records:${table.tableId}`;
      const page = paginate(table.records, scope, offsetOf(scope, req.query.get('page_token')), size);
      const items = page.items.map((rec) => {
        const fields: Record<string, unknown> = {};
        for (const f of wanted) {
          const v = rec.fields[f.fieldId];
          // Empty cells are left out of `fields`, as the real API does.
          if (v === undefined || v === null) continue;
          if (typeof v === 'object' && 'attachments' in v) {
            if (v.attachments.length === 0) continue;
            fields[f.fieldName] = v.attachments.map((t) =>
              renderAttachment(baseUrl, table, t, tenant.media.get(t)),
            );
          } else if (f.type === 1 && typeof v === 'string') {
            fields[f.fieldName] = [{ text: v, type: 'text' }];
          } else {
            fields[f.fieldName] = v;
          }
        }
        return {
          record_id: rec.recordId,
          fields,
          ...(body.automatic_fields === true ? { last_modified_time: rec.lastModifiedTime } : {}),
        };
      });
      if (JSON.stringify(items).length > BITABLE_MAX_RESPONSE_BYTES) {
        return fail(200, BITABLE_TOO_LARGE_CODE, 'TooLargeResponse');
      }
      return listReply(items, page, table.records.length);
    },
  },
];
