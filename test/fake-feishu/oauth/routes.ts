import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Tenant } from '../model.js';
import type { RequestRecord } from '../request-record.js';
import { s256, type UserSessions } from './sessions.js';

/** What the OAuth endpoints read and write. */
export interface OAuthState {
  tenant: Tenant;
  sessions: UserSessions;
  now: () => number;
  /** Called when a refresh request arrives, before it is processed (tests hold it with `gate`). */
  onRefresh?: (() => void) | undefined;
  /** While set, refresh requests wait for it before rotating anything. */
  gate?: Promise<void> | undefined;
}

type Answer = { status: number; body?: unknown; location?: string };

const PATHS: Record<string, RequestRecord['route']> = {
  'GET /open-apis/authen/v1/authorize': 'oauth.authorize',
  'POST /open-apis/authen/v2/oauth/token': 'oauth.token',
  'POST /oauth/v1/device_authorization': 'oauth.device',
  'GET /open-apis/authen/v1/user_info': 'oauth.user_info',
};

/** The route name of an OAuth request, or undefined for any other request. */
export function oauthRoute(method: string | undefined, pathname: string): RequestRecord['route'] | undefined {
  return PATHS[`${method} ${pathname}`];
}

/** Parses a JSON or form body (the token endpoint takes both). */
function fields(raw: Buffer, contentType: string | undefined): Record<string, string> {
  const text = raw.toString('utf8');
  if (!text) return {};
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
  } catch {
    return {};
  }
}

/** An OAuth error answer; `code` only where the official pages document one (not for the device grant). */
const err = (status: number, code: number | undefined, error: string, description: string): Answer => ({
  status,
  body: { ...(code === undefined ? {} : { code }), error, error_description: description },
});

/** Answers one OAuth request; the caller records it. */
export async function answerOAuth(
  route: RequestRecord['route'],
  req: IncomingMessage,
  url: URL,
  raw: Buffer,
  state: OAuthState,
): Promise<Answer> {
  const { tenant, sessions } = state;
  switch (route) {
    case 'oauth.authorize': {
      // https://open.feishu.cn/document/common-capabilities/sso/api/obtain-oauth-code: after consent
      // the browser is sent to redirect_uri with code and state (or error=access_denied).
      const q = url.searchParams;
      const redirect = q.get('redirect_uri');
      if (q.get('client_id') !== tenant.appId || !redirect || q.get('response_type') !== 'code') {
        return { status: 400, body: { code: 20001, error: 'invalid_request' } };
      }
      const target = new URL(redirect);
      const st = q.get('state');
      if (sessions.consent === 'deny' || !tenant.user) {
        target.searchParams.set('error', 'access_denied');
      } else {
        const code = sessions.issueCode(
          q.get('code_challenge') ?? '',
          q.get('code_challenge_method') ?? 'plain',
          redirect,
          q.get('scope') ?? '',
        );
        target.searchParams.set('code', code);
      }
      if (st !== null) target.searchParams.set('state', st);
      return { status: 302, location: target.toString() };
    }
    case 'oauth.token':
      return tokenGrant(fields(raw, req.headers['content-type']), state);
    case 'oauth.device': {
      if (!sessions.deviceFlow) return { status: 404, body: { code: 404, msg: 'not found' } };
      const basic = `Basic ${Buffer.from(`${tenant.appId}:${tenant.appSecret}`).toString('base64')}`;
      const f = fields(raw, req.headers['content-type']);
      if (req.headers.authorization !== basic || f.client_id !== tenant.appId) {
        return err(401, 20002, 'invalid_client', 'The client secret is invalid.');
      }
      const grant = sessions.startDevice(f.scope ?? '');
      return {
        status: 200,
        body: {
          device_code: grant.deviceCode,
          user_code: grant.userCode,
          verification_uri: `${url.origin}/device`,
          verification_uri_complete: `${url.origin}/device?user_code=${grant.userCode}`,
          expires_in: 600,
          interval: sessions.deviceInterval,
        },
      };
    }
    case 'oauth.user_info': {
      const token = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (sessions.checkAccess(token) !== 'ok' || !tenant.user) {
        return { status: 400, body: { code: 99991668, msg: 'Invalid access token' } };
      }
      return {
        status: 200,
        body: { code: 0, msg: 'success', data: { name: tenant.user.name, open_id: tenant.user.openId } },
      };
    }
    default:
      return { status: 404 };
  }
}

async function tokenGrant(f: Record<string, string>, state: OAuthState): Promise<Answer> {
  const { tenant, sessions } = state;
  const clientOk = f.client_id === tenant.appId && f.client_secret === tenant.appSecret;
  switch (f.grant_type) {
    case 'authorization_code': {
      // https://open.feishu.cn/document/authentication-management/access-token/get-user-access-token
      if (!clientOk) return err(400, 20002, 'invalid_client', 'The client secret is invalid.');
      const code = sessions.codes.get(f.code ?? '');
      if (!code) return err(400, 20003, 'invalid_grant', 'The authorization code is not found.');
      if (code.used) return err(400, 20065, 'invalid_grant', 'The authorization code has been used.');
      if (code.expiresAt <= state.now()) return err(400, 20004, 'invalid_grant', 'expired code');
      if (code.redirectUri !== f.redirect_uri)
        return err(400, 20071, 'invalid_grant', 'redirect_uri mismatch');
      if (code.method !== 'S256' || !f.code_verifier || s256(f.code_verifier) !== code.challenge) {
        return err(400, 20049, 'invalid_grant', 'PKCE code challenge failed.');
      }
      code.used = true;
      return { status: 200, body: sessions.issuePair(code.scope) };
    }
    case 'refresh_token': {
      if (!clientOk) return err(400, 20002, 'invalid_client', 'The client secret is invalid.');
      state.onRefresh?.();
      if (state.gate) await state.gate;
      const r = sessions.refresh(f.refresh_token ?? '');
      if ('pair' in r) return { status: 200, body: r.pair };
      return err(400, r.code, r.error, `refresh failed (${r.code})`);
    }
    case 'urn:ietf:params:oauth:grant-type:device_code': {
      if (!clientOk) return err(400, 20002, 'invalid_client', 'The client secret is invalid.');
      const grant = sessions.devices.get(f.device_code ?? '');
      if (!grant) return err(400, undefined, 'invalid_grant', 'unknown device code');
      const now = state.now();
      if (grant.expiresAt <= now) return err(400, undefined, 'expired_token', 'The device code expired.');
      if (grant.lastPollAt !== undefined && now - grant.lastPollAt < grant.intervalMs) {
        // RFC 8628 3.5: the client adds 5 s to its own interval; the server's stays what it is.
        grant.lastPollAt = now;
        return err(400, undefined, 'slow_down', 'Polling too fast.');
      }
      grant.lastPollAt = now;
      if (grant.state === 'denied') return err(400, undefined, 'access_denied', 'The user denied.');
      if (grant.state === 'pending')
        return err(400, undefined, 'authorization_pending', 'Waiting for the user.');
      sessions.devices.delete(grant.deviceCode);
      return { status: 200, body: sessions.issuePair(grant.scope) };
    }
    default:
      return err(400, 20036, 'unsupported_grant_type', 'The specified grant_type is not supported.');
  }
}

export function sendAnswer(res: ServerResponse, a: Answer): number {
  const headers: Record<string, string> = {};
  if (a.location) headers.location = a.location;
  const body = a.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(a.body));
  if (a.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(a.status, headers).end(body);
  return body.length;
}
