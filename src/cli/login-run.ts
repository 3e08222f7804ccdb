import { spawn } from 'node:child_process';
import { loginWithDevice } from '../auth/device-flow.js';
import { expiryWarning, loginEndsAt } from '../auth/expiry.js';
import { loginWithBrowser, scopesOf, toLogin } from '../auth/login-flow.js';
import { storeLogin } from '../auth/store.js';
import { loginPathFor, type StoredLogin } from '../auth/token-file.js';
import type { Config } from '../config/index.js';
import { systemClock } from '../limits/clock.js';
import type { GlobalArgs } from './options.js';
import type { Output } from './output.js';
import { redactor } from './redact.js';

/** `feishu-backup login`: signs in (browser or device), saves the login beside the inventory. */
export async function runLogin(
  config: Config,
  args: GlobalArgs & { device: boolean; port?: number | undefined; browser: boolean },
  output: Output,
): Promise<StoredLogin> {
  const app = { baseUrl: config.baseUrl, appId: config.appId, appSecret: config.appSecret };
  const scopes = scopesOf(config.login?.scopes);
  let login: StoredLogin;
  if (args.device) {
    const grant = await loginWithDevice(app, {
      scopes,
      clock: systemClock,
      onCode: (c) => {
        output.resultEvent('auth.device', 'enter the code', { userCode: c.userCode, url: c.verificationUri });
        output.result(
          `Open ${c.verificationUri} on any device and enter the code ${c.userCode} (valid 10 minutes).`,
        );
      },
    });
    login = await toLogin(app, grant, Date.now);
  } else {
    const port = args.port ?? config.login?.port ?? 8765;
    login = await loginWithBrowser(app, {
      port,
      scopes,
      onUrl: (url) => {
        output.resultEvent('auth.authorize', 'open the sign-in page', { url });
        output.result(
          `Sign in to Feishu in your browser:\n\n  ${url}\n\nWaiting for the redirect to http://127.0.0.1:${port}/callback ...`,
        );
        if (args.browser) openBrowser(url);
      },
    });
  }
  redactor.add(login.accessToken, login.refreshToken);
  const file = loginPathFor(config.database);
  storeLogin(file, login);
  const granted = login.scope.split(' ').filter(Boolean);
  const ends = new Date(loginEndsAt(login)).toISOString();
  output.resultEvent('auth.login', 'signed in', {
    name: login.name,
    openId: login.openId,
    scopes: granted,
    file,
    refreshExpiresAt: login.refreshExpiresAt ? new Date(login.refreshExpiresAt).toISOString() : undefined,
  });
  const lines = [
    `Signed in as ${login.name ?? 'an unnamed user'}${login.openId ? ` (${login.openId})` : ''}.`,
    `Scopes: ${granted.join(', ') || '(none reported)'}`,
    login.refreshToken
      ? `The login stays valid while a run refreshes it at least every 7 days (next deadline ${ends}).`
      : `No refresh token was granted (is offline_access enabled for the app?): the login ends at ${ends}.`,
    `Saved to ${file} (owner-only).`,
  ];
  if (config.auth !== 'user') lines.push('Set "auth": "user" in the config for backups to act as you.');
  output.result(lines.join('\n'));
  const warning = expiryWarning(login, Date.now());
  if (warning) output.warn('auth.expiring', warning);
  return login;
}

/** Opens `url` in the desktop's browser when there is one; silent when there is not. */
function openBrowser(url: string): void {
  const [cmd, ...pre] =
    process.platform === 'darwin'
      ? ['open']
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""']
        : process.env.DISPLAY || process.env.WAYLAND_DISPLAY
          ? ['xdg-open']
          : [];
  if (!cmd) return;
  try {
    const child = spawn(cmd, [...pre, url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser: the printed link is enough.
  }
}
