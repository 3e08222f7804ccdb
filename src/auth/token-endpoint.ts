import { request as undiciRequest } from 'undici';
import { FeishuError, isNetworkError } from '../feishu/errors.js';
import { LoginError, loginErrorForCode } from './errors.js';

/** What the token endpoint hands back for a code, a device code or a refresh token. */
export interface TokenGrant {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken: string | undefined;
  /** Seconds; absent when no refresh token came (no `offline_access`). */
  refreshExpiresIn: number | undefined;
  scope: string;
}

export const TOKEN_PATH = '/open-apis/authen/v2/oauth/token';

interface TokenAnswer {
  code?: number;
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

/** A raw answer of the token endpoint: its status and parsed JSON body (undefined when not JSON). */
export interface RawAnswer {
  status: number;
  body: TokenAnswer | undefined;
}

/**
 * POSTs to the OAuth token endpoint. JSON, as the official pages show for the code and refresh
 * grants (https://open.feishu.cn/document/authentication-management/access-token/get-user-access-token,
 * .../refresh-user-access-token); the device grant is sent form-encoded, as the official CLI does.
 * Network failures become temporary FeishuErrors (retryable); the body is never logged.
 */
export async function postToken(
  baseUrl: string,
  fields: Record<string, string>,
  encoding: 'json' | 'form' = 'json',
): Promise<RawAnswer> {
  const operation = `POST ${TOKEN_PATH} (${fields.grant_type})`;
  try {
    const res = await undiciRequest(`${baseUrl}${TOKEN_PATH}`, {
      method: 'POST',
      headers: {
        'content-type':
          encoding === 'json' ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded',
      },
      body: encoding === 'json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    let body: TokenAnswer | undefined;
    try {
      body = JSON.parse(text) as TokenAnswer;
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, body };
  } catch (e) {
    if (isNetworkError(e))
      throw new FeishuError(operation, { msg: `network error: ${(e as Error).message}`, cause: e });
    throw e;
  }
}

/** The grant in a successful answer, or the error it stands for. */
export function grantOf(answer: RawAnswer, operation: string): TokenGrant {
  const b = answer.body;
  if (b && (b.code === 0 || b.code === undefined) && typeof b.access_token === 'string' && b.access_token) {
    return {
      accessToken: b.access_token,
      expiresIn: typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 7200,
      refreshToken: typeof b.refresh_token === 'string' && b.refresh_token ? b.refresh_token : undefined,
      refreshExpiresIn:
        typeof b.refresh_token_expires_in === 'number' && b.refresh_token_expires_in > 0
          ? b.refresh_token_expires_in
          : undefined,
      scope: typeof b.scope === 'string' ? b.scope : '',
    };
  }
  throw tokenError(answer, operation);
}

/** Sorts a failed token answer: a login that is over, a temporary failure, or a setup problem. */
export function tokenError(answer: RawAnswer, operation: string): Error {
  const code = answer.body?.code;
  const msg = answer.body?.error_description ?? answer.body?.error ?? '';
  // 20050 server error, 20072 temporarily unavailable: retry (refresh-user-access-token page).
  if (answer.status >= 500 || code === 20050 || code === 20072 || answer.status === 429) {
    return new FeishuError(operation, {
      httpStatus: answer.status,
      ...(code !== undefined ? { feishuCode: code } : {}),
      msg,
      kind: answer.status === 429 ? 'rate_limited' : 'temporary',
    });
  }
  if (code !== undefined) {
    const ended = loginErrorForCode(code, msg);
    if (ended) return ended;
  }
  if (code === 20002 || code === 20024) {
    return new LoginError(
      'app_mismatch',
      `The token endpoint refused the app credentials (code ${code}: ${msg}).`,
      'Check appId/appSecret in the config; a login belongs to the app that made it.',
    );
  }
  return new LoginError(
    'exchange_failed',
    `The token endpoint refused the request (HTTP ${answer.status}${code !== undefined ? `, code ${code}` : ''}${msg ? `: ${msg}` : ''}).`,
  );
}

/** Who the token belongs to (https://open.feishu.cn/document/server-docs/authentication-management/login-state-management/get). */
export async function fetchUserInfo(
  baseUrl: string,
  accessToken: string,
): Promise<{ name?: string; openId?: string }> {
  const res = await undiciRequest(`${baseUrl}/open-apis/authen/v1/user_info`, {
    method: 'GET',
    headers: { authorization: `Bearer ${accessToken}` },
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const text = await res.body.text();
  try {
    const body = JSON.parse(text) as { code?: number; data?: { name?: string; open_id?: string } };
    if (body.code !== 0 || !body.data) return {};
    const out: { name?: string; openId?: string } = {};
    if (body.data.name) out.name = body.data.name;
    if (body.data.open_id) out.openId = body.data.open_id;
    return out;
  } catch {
    return {};
  }
}
