import { FEISHU_BASE_URL, LARK_BASE_URL } from '../feishu/base-urls.js';

/**
 * Where the user signs in: `accounts.feishu.cn` for Feishu, `accounts.larksuite.com` for Lark
 * (https://open.feishu.cn/document/common-capabilities/sso/api/obtain-oauth-code). A private
 * deployment or the loopback fake serves it at its own base URL.
 */
export function accountsBaseFor(baseUrl: string): string {
  if (baseUrl === FEISHU_BASE_URL) return 'https://accounts.feishu.cn';
  if (baseUrl === LARK_BASE_URL) return 'https://accounts.larksuite.com';
  return baseUrl;
}

/** The scopes a backup asks for: read-only content plus `offline_access` (refresh tokens). */
export const DEFAULT_SCOPES = [
  'drive:drive:readonly',
  'docx:document:readonly',
  'wiki:wiki:readonly',
  'sheets:spreadsheet:readonly',
  'bitable:app:readonly',
  'board:whiteboard:node:read',
  'offline_access',
] as const;

/** The authorize URL of the code flow with PKCE (S256). */
export function authorizeUrl(options: {
  baseUrl: string;
  appId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  challenge: string;
}): string {
  const url = new URL(`${accountsBaseFor(options.baseUrl)}/open-apis/authen/v1/authorize`);
  url.searchParams.set('client_id', options.appId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', options.redirectUri);
  url.searchParams.set('scope', options.scopes.join(' '));
  url.searchParams.set('state', options.state);
  url.searchParams.set('code_challenge', options.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}
