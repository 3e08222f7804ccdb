import type { Root } from '../config/index.js';
import { DOWNLOAD_DISABLED_CAUSE } from '../download/download-disabled.js';
import type { FeishuClient } from '../feishu/client.js';
import type { RootCheck } from './check-probe.js';

/** The optional scope that lets `members/auth` be asked (README, scopes table). */
export const MEMBER_AUTH_SCOPE = 'docs:permission.member:auth';

const DISABLED_FIX = `${DOWNLOAD_DISABLED_CAUSE}, then run init --check again.`;

/**
 * Whether a readable document root lets the app download its files: "who can create copies, print
 * and download" set above the app's role makes every download answer 403 while the document stays
 * readable. Asked as the downloader asks after a refused download (src/download/download-disabled.ts):
 * `print`, the action under that same setting, through members/auth
 * (https://open.feishu.cn/document/server-docs/docs/permission/permission-member/auth).
 * Returns `unchecked` when the answer cannot be had (most often: the optional scope is missing).
 */
export async function checkDownloads(
  client: FeishuClient,
  root: Root,
  check: RootCheck,
  signal?: AbortSignal,
): Promise<'ok' | 'unchecked'> {
  const type =
    root.type === 'docx' || root.type === 'sheet' || root.type === 'bitable' ? root.type : undefined;
  if (!type || check.state !== 'readable' || !('token' in root)) return 'ok';
  const token = root.token;
  try {
    const data = await client.call<{ auth_result?: boolean }>(
      'drive.member_auth',
      `GET /open-apis/drive/v1/permissions/${token}/members/auth`,
      (o) =>
        client.sdk.drive.v1.permissionMember.auth({ path: { token }, params: { type, action: 'print' } }, o),
      signal,
    );
    if (data.auth_result === false) {
      check.state = 'download_disabled';
      check.detail = 'download disabled by the document';
      check.problem =
        'the app may read it, but its owner allows copies, print and download only to a higher role';
      check.fix = DISABLED_FIX;
    }
    return 'ok';
  } catch {
    return 'unchecked';
  }
}
