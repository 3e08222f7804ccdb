import { FeishuError } from '../feishu/errors.js';

/**
 * Fixes for the setup mistakes a newcomer makes first, more precise than the generic "check appId/
 * appSecret and scopes": which credential is wrong, or why the base URL cannot be reached at all.
 * Codes: https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code and the
 * tenant_access_token/internal page (10003 app id, 10014 app secret; see /FEISHU-API.md "Credentials").
 */
const CREDENTIAL_FIXES: Record<number, string> = {
  10003:
    'The App ID is not known to this Feishu/Lark cloud: copy the App ID (cli_…) again from the developer console (Credentials & Basic Info), and check baseUrl is the cloud the app was made in ("feishu" or "lark").',
  10014:
    'The App Secret does not match the App ID: copy the App Secret again from the developer console (Credentials & Basic Info) into FEISHU_APP_SECRET; if it was reset there, the old one no longer works.',
};

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** The fix for a failed call made to `baseUrl`, when it is one of the setup mistakes above. */
export function setupFix(e: unknown, baseUrl: string): string | undefined {
  if (e instanceof FeishuError && e.feishuCode !== undefined) {
    const fix = CREDENTIAL_FIXES[e.feishuCode];
    if (fix) return fix;
  }
  const code = causeCode(e);
  if (code === 'ECONNREFUSED')
    return `Nothing accepts connections at ${baseUrl}: check baseUrl ("feishu", "lark", or your private deployment's Open API URL) and that this machine may reach it (a proxy goes in HTTPS_PROXY).`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `The host of ${baseUrl} cannot be found (DNS): check baseUrl for a typo ("feishu", "lark", or your deployment's URL) and this machine's network and DNS.`;
  if (code && TLS_CODES.has(code))
    return `The TLS connection to ${baseUrl} failed (${code}): check baseUrl uses https and the right host; behind a proxy that re-signs TLS, point NODE_EXTRA_CA_CERTS at its CA certificate.`;
  return undefined;
}

/** True when `e` is a wrong App ID or App Secret (so nothing else can be checked). */
export function isCredentialFailure(e: unknown): boolean {
  return e instanceof FeishuError && e.kind === 'credentials';
}

/** The first `code` string along the cause chain (the SDK and undici wrap the socket error). */
function causeCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 6; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('FEISHU_')) {
      if (code !== 'ERR_BAD_RESPONSE' && code !== 'ECONNABORTED') return code;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
