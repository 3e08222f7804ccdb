import { expiryWarning, loginEndsAt } from '../auth/expiry.js';
import { loginPathFor, readLogin, type StoredLogin } from '../auth/token-file.js';
import type { Config } from '../config/index.js';

export interface LoginStatus {
  auth: 'tenant' | 'user';
  file: string;
  signedIn: boolean;
  name?: string | undefined;
  openId?: string | undefined;
  scopes?: string[];
  refreshExpiresAt?: string | undefined;
  endsAt?: string;
  warning?: string | undefined;
  problem?: string;
}

/** Who the config acts as and, for a user login, who is signed in and until when. Reads only. */
export function readLoginStatus(config: Config, now = Date.now()): LoginStatus | undefined {
  const auth = config.auth ?? 'tenant';
  const file = loginPathFor(config.database);
  let login: StoredLogin | undefined;
  try {
    login = readLogin(file);
  } catch (e) {
    return { auth, file, signedIn: false, problem: (e as Error).message };
  }
  if (!login) return auth === 'user' ? { auth, file, signedIn: false } : undefined;
  return {
    auth,
    file,
    signedIn: loginEndsAt(login) > now,
    name: login.name,
    openId: login.openId,
    scopes: login.scope.split(' ').filter(Boolean),
    refreshExpiresAt: login.refreshExpiresAt ? new Date(login.refreshExpiresAt).toISOString() : undefined,
    endsAt: new Date(loginEndsAt(login)).toISOString(),
    warning: expiryWarning(login, now),
  };
}

export function renderLoginStatus(s: LoginStatus): string {
  const lines: string[] = [];
  const as = s.auth === 'user' ? 'a signed-in user ("auth": "user")' : 'the app ("auth": "tenant")';
  lines.push(`Identity   ${as}`);
  if (s.problem) lines.push(`Login      unreadable: ${s.problem}`);
  else if (!s.name && !s.signedIn && !s.endsAt)
    lines.push('Login      nobody is signed in: run `feishu-backup login`');
  else {
    const who = `${s.name ?? 'unnamed user'}${s.openId ? ` (${s.openId})` : ''}`;
    lines.push(
      s.signedIn
        ? `Login      ${who}; refresh token expires ${s.refreshExpiresAt ?? 'never issued'}`
        : `Login      ${who}: EXPIRED at ${s.endsAt}; run \`feishu-backup login\``,
    );
    if (s.scopes?.length) lines.push(`Scopes     ${s.scopes.join(', ')}`);
    if (s.warning && s.signedIn) lines.push(`           warning: ${s.warning}`);
  }
  return lines.join('\n');
}
