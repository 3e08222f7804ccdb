import type { StoredLogin } from './token-file.js';

export const DAY_MS = 86_400_000;
/** Feishu asks for a new consent 365 days after the first (20037). */
export const CONSENT_LIFETIME_MS = 365 * DAY_MS;
/** An access token with less than this left is refreshed before use. */
export const ACCESS_MARGIN_MS = 5 * 60_000;
/** Refresh when less than a day of the refresh window is left, so a daily run keeps it alive. */
export const REFRESH_WINDOW_MARGIN_MS = DAY_MS;
/** `status` and the run summary warn this long before the login ends. */
export const WARN_BEFORE_MS = 2 * DAY_MS;

/** When the login can no longer be refreshed: the refresh token's end, or the consent's. */
export function loginEndsAt(login: StoredLogin): number {
  const consentEnd = login.signedInAt + CONSENT_LIFETIME_MS;
  const refreshEnd = login.refreshExpiresAt ?? login.accessExpiresAt;
  return Math.min(consentEnd, refreshEnd);
}

/** True when the access token is about to expire or the refresh window is in its last day. */
export function needsRefresh(login: StoredLogin, now: number): boolean {
  if (login.accessExpiresAt - now < ACCESS_MARGIN_MS) return true;
  return login.refreshExpiresAt !== undefined && login.refreshExpiresAt - now < REFRESH_WINDOW_MARGIN_MS;
}

/** A warning when the login ends within two days, else undefined. */
export function expiryWarning(login: StoredLogin, now: number): string | undefined {
  const end = loginEndsAt(login);
  if (end - now >= WARN_BEFORE_MS) return undefined;
  const hours = Math.max(0, Math.round((end - now) / 3_600_000));
  const why =
    end === login.signedInAt + CONSENT_LIFETIME_MS
      ? 'Feishu asks for a new consent 365 days after the first'
      : 'the refresh token is not renewed by a run before then';
  return `The Feishu login of ${login.name ?? 'the signed-in user'} ends in about ${hours} h (${new Date(end).toISOString()}): ${why}. Run \`feishu-backup login\` to renew it.`;
}
