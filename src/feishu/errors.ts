import { codeRow } from './error-codes.js';

/**
 * Errors from the outside world, sorted once at the boundary into the few kinds the rest of the
 * code acts on (renovate's and rclone's habit). Codes: https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code
 */
export type ErrorKind =
  /** 429, or 99991400: wait the server's reset hint, then retry. */
  | 'rate_limited'
  /** 5xx, resets, timeouts, Feishu internal errors: retry with backoff. */
  | 'temporary'
  /** The token is expired or invalid: refresh it and retry once. */
  | 'auth'
  /** Bad app credentials or missing scope: nothing will work until the user fixes the app. */
  | 'credentials'
  /** 403 and friends: the app cannot see this document or file. */
  | 'permission'
  /**
   * A 403 on a download the app could see, because the document's owner forbade copy/print/download
   * for its role; never returned by `classify` (the same 403 as 'permission'): the downloader tells
   * it apart with members/auth (src/download/download-disabled.ts).
   */
  | 'download_disabled'
  /** 404, deleted. */
  | 'not_found'
  /** 400: a request the server refuses as it stands (e.g. a missing or wrong `extra`). */
  | 'bad_request'
  /** The tenant's monthly API call quota is spent (99991403, free plan): never retried; stop cleanly. */
  | 'quota'
  /** The server answered something that is not the documented shape. */
  | 'protocol';

export interface Classification {
  kind: ErrorKind;
  /** How long the server asked us to wait, from `x-ogw-ratelimit-reset`, in ms. */
  retryAfterMs?: number;
  /** One sentence telling the user what to do about it. */
  fix?: string;
  /** The code's page asks not to retry it (see error-codes.ts), whatever its kind. */
  noRetry?: true;
}

const FIXES: Partial<Record<ErrorKind, string>> = {
  permission:
    'Add the app as a collaborator of the document (Share > add the app/bot), or of its folder or wiki space, then run again.',
  not_found: 'The document or file was deleted or moved; remove it from the roots if it is gone for good.',
  credentials:
    'Check appId/appSecret, and enable the scopes listed in the README (docs, drive, wiki, sheets, bitable read) in the developer console, then publish a new app version.',
  quota:
    "The tenant's monthly API call quota is spent (Feishu's free plan: 10,000 calls a month shared by all custom apps; it refreshes on the 1st). Everything fetched so far is kept: run again next month, or upgrade the Feishu plan (Admin > Billing) to lift the cap; `feishu-backup status` shows the calls each run made.",
};

const RELOGIN = 'Run `feishu-backup login` (same --config) to sign in again; nothing backed up is lost.';

/**
 * User-token codes (`auth: "user"`) and their fixes: the generic error codes page and the token
 * endpoint's pages (https://open.feishu.cn/document/authentication-management/access-token/refresh-user-access-token).
 * 99991668/99991677 are refreshed and retried once before they reach the user.
 */
const USER_TOKEN_FIXES: Record<number, string> = {
  99991668: `The user access token is not valid (revoked, or the user left the tenant). ${RELOGIN}`,
  99991677: `The user access token expired and could not be refreshed. ${RELOGIN}`,
  99991679:
    'The signed-in user has not granted a scope this call needs: add it under "login": {"scopes": [...]} (or enable it for the app), then run `feishu-backup login` again.',
  20026: `The saved refresh token is not valid. ${RELOGIN}`,
  20037: `The login expired (7 days without a run, or 365 days since consent). ${RELOGIN}`,
  20064: `The login was revoked. ${RELOGIN}`,
  20073: `The refresh token was already used (a run was killed mid-refresh). ${RELOGIN}`,
};

/** Parses `x-ogw-ratelimit-reset` (seconds) into ms; undefined when absent or malformed. */
export function parseResetHeader(value: unknown): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 3600) * 1000 : undefined;
}

/**
 * Parses a standard `Retry-After` (RFC 9110: delay-seconds or an HTTP-date) into ms, for a 429 that
 * comes without Feishu's own header (a proxy or gateway in between); undefined when absent or malformed.
 */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(raw)) return Math.min(Number(raw), 3600) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), 3_600_000);
}

/** Sorts an HTTP status and Feishu business code into a kind. */
export function classify(
  httpStatus: number | undefined,
  feishuCode: number | undefined,
  headers?: Record<string, unknown>,
): Classification {
  const retryAfterMs =
    parseResetHeader(headers?.['x-ogw-ratelimit-reset']) ?? parseRetryAfter(headers?.['retry-after']);
  const kind = kindOf(httpStatus, feishuCode);
  const out: Classification = { kind };
  if (retryAfterMs !== undefined && kind === 'rate_limited') out.retryAfterMs = retryAfterMs;
  if (codeRow(feishuCode)?.noRetry) out.noRetry = true;
  const fix = (feishuCode !== undefined ? USER_TOKEN_FIXES[feishuCode] : undefined) ?? FIXES[kind];
  if (fix) out.fix = fix;
  return out;
}

function kindOf(status: number | undefined, code: number | undefined): ErrorKind {
  // A known code decides, whatever the HTTP status that carried it (error-codes.ts).
  const row = code === 0 ? undefined : codeRow(code);
  if (row) return row.kind;
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404 || status === 410) return 'not_found';
  if (status !== undefined && status >= 500) return 'temporary';
  if (status === 408) return 'temporary';
  if (status === 400) return 'bad_request';
  if (status !== undefined && status >= 200 && status < 300) return code ? 'bad_request' : 'protocol';
  return 'temporary';
}

/** An error from a Feishu call, with the kind that decides what happens next. */
export class FeishuError extends Error {
  override readonly name = 'FeishuError';
  readonly code: string;
  readonly kind: ErrorKind;
  readonly httpStatus: number | undefined;
  readonly feishuCode: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly fix: string | undefined;
  /** The code's page asks not to retry it. */
  readonly noRetry: boolean;
  /** What was being done, e.g. "GET /open-apis/docx/v1/documents/xxx/blocks". */
  readonly operation: string;

  constructor(
    operation: string,
    init: {
      httpStatus?: number;
      feishuCode?: number;
      msg?: string;
      headers?: Record<string, unknown>;
      cause?: unknown;
      /** Overrides the classification, e.g. 'protocol' for an answer of the wrong shape. */
      kind?: ErrorKind;
    },
  ) {
    const c = classify(init.httpStatus, init.feishuCode, init.headers);
    if (init.kind) {
      c.kind = init.kind;
      c.fix =
        (init.feishuCode !== undefined ? USER_TOKEN_FIXES[init.feishuCode] : undefined) ?? FIXES[init.kind];
    }
    const parts = [
      init.httpStatus ? `HTTP ${init.httpStatus}` : undefined,
      init.feishuCode ? `code ${init.feishuCode}` : undefined,
      init.msg,
    ].filter(Boolean);
    super(`${operation} failed: ${parts.join(', ') || 'no response'}`, { cause: init.cause });
    this.operation = operation;
    this.kind = c.kind;
    this.code = `FEISHU_${c.kind.toUpperCase()}`;
    this.httpStatus = init.httpStatus;
    this.feishuCode = init.feishuCode;
    this.retryAfterMs = c.retryAfterMs;
    this.fix = c.fix;
    this.noRetry = c.noRetry === true;
  }

  get retryable(): boolean {
    if (this.noRetry) return false;
    return this.kind === 'rate_limited' || this.kind === 'temporary' || this.kind === 'auth';
  }
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_BAD_RESPONSE',
]);

/** True for transport failures that are worth retrying (connection reset, timeout, DNS hiccup). */
export function isNetworkError(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

interface AxiosLikeError {
  isAxiosError?: boolean;
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

/**
 * Turns whatever the SDK threw (an AxiosError for non-2xx, a network error) into a FeishuError.
 * The body of an error answer is the Feishu envelope when it is JSON.
 */
export function fromSdkError(operation: string, e: unknown): FeishuError {
  if (e instanceof FeishuError) return e;
  const ax = e as AxiosLikeError;
  if (ax?.response) {
    const body = ax.response.data as { code?: unknown; msg?: unknown } | undefined;
    const code = body && typeof body === 'object' && typeof body.code === 'number' ? body.code : undefined;
    const msg = body && typeof body === 'object' && typeof body.msg === 'string' ? body.msg : undefined;
    const init: ConstructorParameters<typeof FeishuError>[1] = { cause: e };
    if (ax.response.status !== undefined) init.httpStatus = ax.response.status;
    if (code !== undefined) init.feishuCode = code;
    if (msg !== undefined) init.msg = msg;
    if (ax.response.headers) init.headers = ax.response.headers;
    return new FeishuError(operation, init);
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (isNetworkError(e)) return new FeishuError(operation, { msg: `network error: ${msg}`, cause: e });
  return new FeishuError(operation, { msg, cause: e, kind: 'protocol' });
}
