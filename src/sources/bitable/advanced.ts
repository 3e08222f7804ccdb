import type { Envelope } from '../../feishu/envelope.js';
import { FeishuError } from '../../feishu/errors.js';
import type { SourceContext } from '../types.js';

interface AppInfo {
  app?: { is_advanced?: boolean; name?: string };
}

/**
 * Whether a base has advanced permissions on (`app.is_advanced`), read once per base and crawl.
 * https://open.feishu.cn/document/server-docs/docs/bitable-v1/app/get
 */
export async function isAdvancedBase(ctx: SourceContext, app: string): Promise<boolean> {
  return (await baseInfo(ctx, app)).advanced;
}

/** `isAdvancedBase`, with the base's name (`app.name`) that the same answer carries. */
export async function baseInfo(
  ctx: SourceContext,
  app: string,
): Promise<{ advanced: boolean; name: string | undefined }> {
  const data = await ctx.client.call<AppInfo>(
    'bitable.app',
    `GET /open-apis/bitable/v1/apps/${app}`,
    (o) => ctx.client.sdk.bitable.v1.app.get({ path: { app_token: app } }, o) as Promise<Envelope<AppInfo>>,
    ctx.signal,
  );
  return { advanced: data.app?.is_advanced === true, name: data.app?.name || undefined };
}

/** The `meta` key a base hands its tables, so a table need not ask again. */
export const ADVANCED_META = 'advanced';

export const ADVANCED_BASE_FIX =
  'Give the app a role with manage rights on the base: open the base, "..." > "More" > "Add document app" and choose "can manage" (or add the app, or a group holding it, to a role in the advanced permission settings that can manage this table), then run again.';

/**
 * `records/search` on a base with advanced permissions answers success with no records when the
 * caller lacks manage rights ("可能出现调用成功但返回数据为空的情况"): an empty answer there is
 * recorded as a permission problem of the table, never as "no attachments". A table that is truly
 * empty is reported the same way; the docs give no way to tell the two apart.
 * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/bitable-v1/app-table-record/search
 */
export class AdvancedBaseEmptyError extends FeishuError {
  override readonly fix: string;

  constructor(operation: string) {
    super(operation, {
      msg: 'the table is in a base with advanced permissions and answered no records: the app probably lacks manage rights on it (or the table is empty)',
      kind: 'permission',
    });
    this.fix = ADVANCED_BASE_FIX;
  }
}
