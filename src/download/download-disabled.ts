import type { Envelope } from '../feishu/envelope.js';
import { FeishuError } from '../feishu/errors.js';
import type { MediaRow } from '../inventory/media-queue.js';
import type { RunContext } from './run-context.js';

/**
 * Why a download answered 403. The download pages list one 403 for "no permission to download"
 * (https://open.feishu.cn/document/server-docs/docs/drive-v1/media/download), the same code for an
 * app that is not a collaborator and for a document whose owner restricted "who can create copies,
 * print and download" above the app's role (drive FAQ 3.4:
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/faq). The documented way to tell them
 * apart is to ask, for the document holding the file, whether the app may view it and print it:
 * https://open.feishu.cn/document/server-docs/docs/permission/permission-member/auth
 * (`print` is the action under that same setting; which action Feishu checks on a download is not
 * documented). The probe needs a scope the backup does not otherwise (docs:permission.member:auth);
 * without it the cause stays open and the fix names both.
 *
 * `GET /open-apis/drive/v1/medias/:file_token/preview_download` is not tried: no official page
 * documents it, let alone says it serves the original bytes, and a preview must never be saved as
 * the file.
 */
export type Verdict = 'download_disabled' | 'not_shared' | 'undetermined';

interface Holder {
  type: string;
  token: string;
}

/** One probe per document per run, however many of its files were refused. */
const asked = new WeakMap<RunContext, Map<string, Promise<Verdict>>>();

/** The document to ask about: the first live place the file is used (a drive file is its own). */
function holderOf(ctx: RunContext, row: MediaRow): Holder | undefined {
  if (row.source === 'drive_file') return { type: 'file', token: row.file_token };
  if (row.source !== 'media') return undefined;
  const doc = ctx.db
    .prepare<[number], { type: string; token: string }>(
      `SELECT d.type, d.token FROM media_refs r JOIN documents d ON d.id = r.document_id
        WHERE r.media_id = ? AND r.gone_at IS NULL ORDER BY r.id LIMIT 1`,
    )
    .get(row.id);
  if (!doc) return undefined;
  // A table is asked about through its base; the other types are the API's own names.
  if (doc.type === 'bitable_table') return { type: 'bitable', token: doc.token.split('_')[0]! };
  return ['docx', 'sheet', 'bitable', 'file'].includes(doc.type) ? doc : undefined;
}

async function may(ctx: RunContext, holder: Holder, action: 'view' | 'print'): Promise<boolean> {
  const data = await ctx.client.call<{ auth_result?: boolean }>(
    'drive.member_auth',
    `GET /open-apis/drive/v1/permissions/${holder.token}/members/auth`,
    (o) =>
      ctx.client.sdk.drive.v1.permissionMember.auth(
        {
          path: { token: holder.token },
          params: { type: holder.type as 'docx', action },
        },
        o,
      ) as Promise<Envelope<{ auth_result?: boolean }>>,
    ctx.signal,
  );
  return data.auth_result === true;
}

async function probe(ctx: RunContext, holder: Holder): Promise<Verdict> {
  try {
    if (!(await may(ctx, holder, 'view'))) return 'not_shared';
    return (await may(ctx, holder, 'print')) ? 'undetermined' : 'download_disabled';
  } catch {
    // Most often the scope is missing (99991672); any other failure leaves the cause open too.
    return 'undetermined';
  }
}

export function verdictFor(ctx: RunContext, row: MediaRow): Promise<Verdict> {
  const holder = holderOf(ctx, row);
  if (!holder) return Promise.resolve('undetermined');
  let byDoc = asked.get(ctx);
  if (!byDoc) {
    byDoc = new Map();
    asked.set(ctx, byDoc);
  }
  const key = `${holder.type}:${holder.token}`;
  const known = byDoc.get(key);
  if (known) return known;
  const verdict = probe(ctx, holder);
  byDoc.set(key, verdict);
  return verdict;
}

/** A refused download whose cause members/auth told: its fix is that cause's, not the generic one. */
export class ExplainedForbidden extends FeishuError {
  constructor(
    operation: string,
    init: ConstructorParameters<typeof FeishuError>[1],
    readonly explainedFix: string,
  ) {
    super(operation, init);
  }
}

const NOT_SHARED_FIX =
  'The app cannot view the document that holds this file: add the app as a collaborator of that document (or of its folder, wiki space or base), then run with --retry-failed.';
/** The cause and what the owner can do, worded once (init --check ends it its own way). */
export const DOWNLOAD_DISABLED_CAUSE =
  'The document\'s owner disabled downloads for the app\'s role (document permission settings > "Who can create copies, print and download"): ask the owner to allow it for readers, or give the app a role the setting allows';
/** The fix of a `download_disabled` file, the one wording media-fixes.ts gives for that kind too. */
export const DOWNLOAD_DISABLED_FIX = `${DOWNLOAD_DISABLED_CAUSE}, then run with --retry-failed. Nothing was saved for this file; no preview is kept in its place.`;

/** The refused download's error, told apart: the document forbids downloads, or the app cannot see it. */
export async function explainForbidden(
  ctx: RunContext,
  row: MediaRow,
  error: FeishuError,
): Promise<FeishuError> {
  const verdict = await verdictFor(ctx, row);
  if (verdict === 'undetermined') return error;
  const init = {
    msg:
      verdict === 'download_disabled'
        ? 'download disabled by the document: the app may view it, but its owner allows copies, print and download only to a higher role'
        : 'the app is not a collaborator of the document holding this file',
    kind: verdict === 'download_disabled' ? ('download_disabled' as const) : ('permission' as const),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    ...(error.feishuCode === undefined ? {} : { feishuCode: error.feishuCode }),
    cause: error,
  };
  return new ExplainedForbidden(
    error.operation,
    init,
    verdict === 'download_disabled' ? DOWNLOAD_DISABLED_FIX : NOT_SHARED_FIX,
  );
}
