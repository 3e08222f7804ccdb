import { request as undiciRequest } from 'undici';
import type { Clock } from '../limits/clock.js';
import { accountsBaseFor } from './accounts.js';
import { LoginError } from './errors.js';
import type { AppCredentials } from './login-flow.js';
import { grantOf, postToken, type TokenGrant, tokenError } from './token-endpoint.js';

export interface DeviceCode {
  userCode: string;
  verificationUri: string;
}

/** The most we wait between polls, whatever `slow_down` asks. */
const MAX_INTERVAL_S = 60;

/**
 * The device authorization flow for a machine without a browser (RFC 8628), as the official Lark
 * CLI does it (larksuite/cli internal/auth/device_flow.go); **not in the public docs**, so a 404
 * ends it with the browser flow as the fix. `POST <accounts>/oauth/v1/device_authorization` (form
 * client_id + scope, HTTP Basic app_id:app_secret), then poll the token endpoint with
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code`: `authorization_pending` waits,
 * `slow_down` adds 5 s, `access_denied` and `expired_token` end it.
 */
export async function loginWithDevice(
  app: AppCredentials,
  options: { scopes: readonly string[]; clock: Clock; onCode: (code: DeviceCode) => void },
): Promise<TokenGrant> {
  const url = `${accountsBaseFor(app.baseUrl)}/oauth/v1/device_authorization`;
  const res = await undiciRequest(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${app.appId}:${app.appSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ client_id: app.appId, scope: options.scopes.join(' ') }).toString(),
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const text = await res.body.text();
  if (res.statusCode === 404) {
    throw new LoginError(
      'device_unavailable',
      `The device sign-in endpoint ${url} answered 404: this Feishu deployment does not offer it (it is not in the public docs).`,
      'Sign in with the browser flow instead: forward the callback port (ssh -L 8765:127.0.0.1:8765 <server>) and run `feishu-backup login` here, or run it with the same config where a browser is and copy the <database>.login.json it writes next to this inventory.',
    );
  }
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Handled below as a missing device code.
  }
  const deviceCode = typeof body.device_code === 'string' ? body.device_code : '';
  if (res.statusCode >= 400 || !deviceCode) {
    throw new LoginError(
      'device_unavailable',
      `The device sign-in could not start (HTTP ${res.statusCode}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}).`,
      'Check appId/appSecret, or use the browser flow: `feishu-backup login`.',
    );
  }
  const verification =
    (typeof body.verification_uri_complete === 'string' && body.verification_uri_complete) ||
    (typeof body.verification_uri === 'string' ? body.verification_uri : '');
  options.onCode({ userCode: String(body.user_code ?? ''), verificationUri: verification });
  let interval = typeof body.interval === 'number' && body.interval > 0 ? body.interval : 5;
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 600;
  const deadline = options.clock.now() + expiresIn * 1000;
  for (;;) {
    await options.clock.sleep(interval * 1000);
    if (options.clock.now() >= deadline) break;
    const answer = await postToken(
      app.baseUrl,
      {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: deviceCode,
        client_id: app.appId,
        client_secret: app.appSecret,
      },
      'form',
    );
    const error = answer.body?.error;
    if (!error && answer.body?.access_token) return grantOf(answer, 'device_code');
    if (error === 'authorization_pending') continue;
    if (error === 'slow_down') {
      interval = Math.min(interval + 5, MAX_INTERVAL_S);
      continue;
    }
    if (error === 'access_denied') {
      throw new LoginError(
        'denied',
        'The sign-in was not allowed on the verification page; nothing was saved.',
        'Run `feishu-backup login --device` again and choose Authorize.',
      );
    }
    if (error === 'expired_token' || error === 'invalid_grant') break;
    throw tokenError(answer, 'device_code');
  }
  throw new LoginError(
    'device_expired',
    'The device code expired before the sign-in was completed; nothing was saved.',
    'Run `feishu-backup login --device` again and enter the code within 10 minutes.',
  );
}
