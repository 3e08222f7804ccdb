import type { Envelope } from '../../feishu/envelope.js';
import { FeishuError } from '../../feishu/errors.js';
import { splitEmbedded } from '../docx/extract.js';
import { PageGuard } from '../paging.js';
import type { Source, SourceContext, Target } from '../types.js';
import { ADVANCED_META, AdvancedBaseEmptyError, baseInfo, isAdvancedBase } from './advanced.js';
import { type BitableRecord, extractRecords, unbackableRecords } from './extract.js';

interface Paged<T> {
  items?: T[];
  has_more?: boolean;
  page_token?: string;
}

interface Table {
  table_id: string;
  name?: string;
  revision?: number;
}

interface Field {
  field_id: string;
  field_name: string;
  type: number;
}

const ATTACHMENT = 17;
const RECORDS_PAGE = 500;
/** 1254030 TooLargeResponse ("响应体过大"): ask again for half the page (the page gives no size limit). */
const TOO_LARGE_CODE = 1254030;

/**
 * A base (bitable app): reads whether it has advanced permissions (once a crawl), then always lists
 * its tables, whose revisions decide which tables are read again.
 * https://open.feishu.cn/document/server-docs/docs/bitable-v1/app/get
 * https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table/list
 */
export const bitableSource: Source = {
  type: 'bitable',
  async *read(ctx, target, from) {
    // The base's name comes with it: a base configured as a root is in no listing that names it.
    const { advanced, name } = await baseInfo(ctx, target.token);
    let title = target.title ? undefined : name;
    const operation = `GET /open-apis/bitable/v1/apps/${target.token}/tables`;
    const guard = new PageGuard(operation);
    let pageToken = from?.pageToken;
    guard.resume(pageToken);
    do {
      const data = await listTables(ctx, target.token, pageToken);
      pageToken = guard.next(data.has_more, data.page_token);
      const tables = (data.items ?? []).filter((t) => !target.scope || t.table_id === target.scope);
      const children: Target[] = tables.map((t) => ({
        type: 'bitable_table',
        token: `${target.token}_${t.table_id}`,
        title: t.name,
        listedRevision: t.revision === undefined ? undefined : `rev:${t.revision}`,
        meta: { [ADVANCED_META]: advanced ? '1' : '0' },
      }));
      yield { children, title, next: pageToken ? { phase: 'tables', pageToken } : undefined };
      title = undefined;
    } while (pageToken);
  },
};

/**
 * One table: its attachment fields (type 17), then its records 500 a page, asking only for the
 * attachment fields. A table without attachment fields costs one call.
 * https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-field/list
 * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/bitable-v1/app-table-record/search
 */
export const bitableTableSource: Source = {
  type: 'bitable_table',
  async revision(ctx, target) {
    const { token: app, id } = splitEmbedded(target.token)!;
    const guard = new PageGuard(`GET /open-apis/bitable/v1/apps/${app}/tables`);
    let pageToken: string | undefined;
    do {
      const data = await listTables(ctx, app, pageToken);
      const table = data.items?.find((t) => t.table_id === id);
      if (table)
        return {
          title: table.name,
          revision: table.revision === undefined ? undefined : `rev:${table.revision}`,
        };
      pageToken = guard.next(data.has_more, data.page_token);
    } while (pageToken);
    return {};
  },
  async *read(ctx, target, from) {
    const { token: app, id: tableId } = splitEmbedded(target.token)!;
    const { attachments: fields, all } = await tableFields(ctx, app, tableId);
    // A snapshot needs every record, so only without snapshots is a table without attachments done here.
    if (fields.size === 0 && !ctx.snapshots) {
      yield {};
      return;
    }
    const operation = `POST /open-apis/bitable/v1/apps/${app}/tables/${tableId}/records/search`;
    // Given by the base that listed the table; a table reached otherwise (a resumed base) asks itself.
    const listed = target.meta?.[ADVANCED_META];
    const advanced = listed === undefined ? await isAdvancedBase(ctx, app) : listed === '1';
    const guard = new PageGuard(operation);
    let pageToken = from?.pageToken;
    guard.resume(pageToken);
    // Once a page was too large, the rest of the table is read in pages of the size that fitted.
    let pageSize = RECORDS_PAGE;
    do {
      let data: Paged<BitableRecord>;
      for (;;) {
        const params: { page_size: number; page_token?: string } = { page_size: pageSize };
        if (pageToken) params.page_token = pageToken;
        try {
          data = await ctx.client.call<Paged<BitableRecord>>(
            'bitable.records',
            operation,
            (o) =>
              ctx.client.sdk.bitable.v1.appTableRecord.search(
                {
                  path: { app_token: app, table_id: tableId },
                  params,
                  // All fields for a snapshot: bigger pages, not more calls.
                  data: ctx.snapshots ? {} : { field_names: [...fields.keys()] },
                },
                o,
              ) as Promise<Envelope<Paged<BitableRecord>>>,
            ctx.signal,
          );
          break;
        } catch (e) {
          if (!(e instanceof FeishuError) || e.feishuCode !== TOO_LARGE_CODE || pageSize === 1) throw e;
          pageSize = Math.floor(pageSize / 2);
        }
      }
      // Without manage rights an advanced base answers success with no records (advanced.ts): that
      // is a permission problem, thrown before the page is written so no reference is marked gone.
      if (advanced && !from && !pageToken && (data.items ?? []).length === 0 && !data.has_more)
        throw new AdvancedBaseEmptyError(operation);
      pageToken = guard.next(data.has_more, data.page_token);
      yield {
        refs: extractRecords(tableId, fields, data.items ?? []),
        unbackable: unbackableRecords(fields, data.items ?? []),
        snapshot: { fields: all, items: data.items ?? [] },
        next: pageToken ? { phase: 'records', pageToken } : undefined,
      };
    } while (pageToken);
  },
};

function listTables(ctx: SourceContext, app: string, pageToken: string | undefined): Promise<Paged<Table>> {
  const params: { page_size: number; page_token?: string } = { page_size: 100 };
  if (pageToken) params.page_token = pageToken;
  return ctx.client.call<Paged<Table>>(
    'bitable.tables',
    `GET /open-apis/bitable/v1/apps/${app}/tables`,
    (o) =>
      ctx.client.sdk.bitable.v1.appTable.list({ path: { app_token: app }, params }, o) as Promise<
        Envelope<Paged<Table>>
      >,
    ctx.signal,
  );
}

/** Every field (raw, for the snapshot) and the attachment fields' name -> id, all pages. */
async function tableFields(
  ctx: SourceContext,
  app: string,
  tableId: string,
): Promise<{ attachments: Map<string, string>; all: Field[] }> {
  const operation = `GET /open-apis/bitable/v1/apps/${app}/tables/${tableId}/fields`;
  const guard = new PageGuard(operation);
  const out = new Map<string, string>();
  const all: Field[] = [];
  let pageToken: string | undefined;
  do {
    const params: { page_size: number; page_token?: string } = { page_size: 100 };
    if (pageToken) params.page_token = pageToken;
    const data = await ctx.client.call<Paged<Field>>(
      'bitable.fields',
      operation,
      (o) =>
        ctx.client.sdk.bitable.v1.appTableField.list(
          { path: { app_token: app, table_id: tableId }, params },
          o,
        ) as Promise<Envelope<Paged<Field>>>,
      ctx.signal,
    );
    for (const f of data.items ?? []) {
      all.push(f);
      if (f.type === ATTACHMENT) out.set(f.field_name, f.field_id);
    }
    pageToken = guard.next(data.has_more, data.page_token);
  } while (pageToken);
  return { attachments: out, all };
}
