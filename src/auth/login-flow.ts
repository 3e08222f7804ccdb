import { authorizeUrl, DEFAULT_SCOPES } from './accounts.js';
import { listenForCallback } from './loopback.js';
import { createPkce, createState } from './pkce.js';
import { fetchUserInfo, grantOf, postToken, type TokenGrant } from './token-endpoint.js';
import type { StoredLogin } from './token-file.js';

export interface AppCredentials {
  baseUrl: string;
  appId: string;
  appSecret: string;
}

/** The scopes to ask for, always with `offline_access` (without it there is no refresh token). */
export function scopesOf(configured: readonly string[] | undefined): string[] {
  const list = [...(configured ?? DEFAULT_SCOPES)];
  if (!list.includes('offline_access')) list.push('offline_access');
  return [...new Set(list)];
}

/**
 * The browser sign-in: authorization code with PKCE (S256) and a loopback redirect
 * (https://open.feishu.cn/document/common-capabilities/sso/api/obtain-oauth-code), then the code
 * exchange (https://open.feishu.cn/document/authentication-management/access-token/get-user-access-token).
 * `onUrl` shows the authorize URL (and may open a browser).
 */
export async function loginWithBrowser(
  app: AppCredentials,
  options: { port: number; scopes: readonly string[]; onUrl: (url: string) => void; now?: () => number },
): Promise<StoredLogin> {
  const pkce = createPkce();
  const state = createState();
  const callback = await listenForCallback(options.port, state);
  try {
    options.onUrl(
      authorizeUrl({
        baseUrl: app.baseUrl,
        appId: app.appId,
        redirectUri: callback.redirectUri,
        scopes: options.scopes,
        state,
        challenge: pkce.challenge,
      }),
    );
    const code = await callback.code;
    const answer = await postToken(app.baseUrl, {
      grant_type: 'authorization_code',
      client_id: app.appId,
      client_secret: app.appSecret,
      code,
      redirect_uri: callback.redirectUri,
      code_verifier: pkce.verifier,
    });
    const grant = grantOf(answer, 'POST /open-apis/authen/v2/oauth/token (authorization_code)');
    return await toLogin(app, grant, options.now ?? Date.now);
  } finally {
    await callback.close();
  }
}

/** A new login from a grant, with who signed in. */
export async function toLogin(
  app: AppCredentials,
  grant: TokenGrant,
  now: () => number,
): Promise<StoredLogin> {
  const who = await fetchUserInfo(app.baseUrl, grant.accessToken).catch(() => ({}));
  const at = now();
  const login: StoredLogin = {
    version: 1,
    appId: app.appId,
    baseUrl: app.baseUrl,
    ...who,
    scope: grant.scope,
    accessToken: grant.accessToken,
    accessExpiresAt: at + grant.expiresIn * 1000,
    signedInAt: at,
    updatedAt: at,
  };
  if (grant.refreshToken) {
    login.refreshToken = grant.refreshToken;
    login.refreshExpiresAt = at + (grant.refreshExpiresIn ?? 604_800) * 1000;
  }
  return login;
}
