/** Why a login cannot be used or made; every one names the fix. The CLI exits 2 on all of them. */
export type LoginErrorReason =
  | 'not_signed_in'
  | 'expired'
  | 'revoked'
  | 'denied'
  | 'state_mismatch'
  | 'port_in_use'
  | 'device_unavailable'
  | 'device_expired'
  | 'app_mismatch'
  | 'exchange_failed';

const RELOGIN = 'Run `feishu-backup login` (with the same --config) to sign in again.';

/** A login problem: nothing was backed up or changed because of it; the user signs in again. */
export class LoginError extends Error {
  override readonly name = 'LoginError';
  readonly code: string;
  readonly fix: string;
  constructor(
    readonly reason: LoginErrorReason,
    message: string,
    fix: string = RELOGIN,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = `LOGIN_${reason.toUpperCase()}`;
    this.fix = fix;
  }
}

/**
 * The token endpoint's codes that end a login, with what they mean
 * (https://open.feishu.cn/document/authentication-management/access-token/refresh-user-access-token):
 * 20026 invalid refresh token, 20037 expired (7 days unused, or 365 days since consent), 20064
 * revoked, 20073 already used (another process rotated it, or a run was killed after Feishu rotated
 * it and before we saved the new pair). 20074: the console's refresh switch is off.
 */
export function loginErrorForCode(code: number, msg: string): LoginError | undefined {
  switch (code) {
    case 20026:
      return new LoginError('revoked', `The saved login is not valid (code 20026: ${msg}).`);
    case 20037:
      return new LoginError(
        'expired',
        `The saved login has expired (code 20037): the refresh token was not used within its 7 days, or 365 days passed since you consented.`,
      );
    case 20064:
      return new LoginError('revoked', `The saved login was revoked (code 20064: ${msg}).`);
    case 20073:
      return new LoginError(
        'revoked',
        `The saved refresh token was already used (code 20073): a run was probably killed after Feishu rotated it and before the new one was saved.`,
      );
    case 20074:
      return new LoginError(
        'revoked',
        `The app may not refresh user tokens (code 20074).`,
        'Turn on "refresh user_access_token" in the developer console (Security settings), publish a new version, then run `feishu-backup login`.',
      );
    default:
      return undefined;
  }
}
