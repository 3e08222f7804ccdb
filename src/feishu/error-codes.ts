import type { ErrorKind } from './errors.js';

/** One Feishu business code: what it means to us, and the official page that says so. */
export interface CodeRow {
  code: number;
  kind: ErrorKind;
  /** The code's name or message on its page. */
  name: string;
  /** The page's advice says not to retry, although the cause is on the server's side. */
  noRetry?: true;
  doc: string;
}

const GENERIC = 'https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code';
const SHEETS_QUERY = 'https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet-sheet/query';
const BITABLE_TABLES = 'https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table/list';
const BITABLE_RECORDS = 'https://open.feishu.cn/document/docs/bitable-v1/app-table-record/search';
const WIKI_NODE = 'https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/get_node';
const DRIVE_DOWNLOAD = 'https://open.feishu.cn/document/server-docs/docs/drive-v1/download/download';
const DRIVE_FILES = 'https://open.feishu.cn/document/server-docs/docs/drive-v1/file/delete';
const DOCX_BLOCKS = 'https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/list';
const USER_REFRESH =
  'https://open.feishu.cn/document/authentication-management/access-token/refresh-user-access-token';
const BOARD = 'https://open.feishu.cn/document/docs/board-v1/whiteboard/download_as_image';

/**
 * Every Feishu code the product acts on, whatever HTTP status carries it (the same code comes with
 * 200, 400 or 5xx depending on the API). A code not here is sorted by its HTTP status alone.
 */
export const ERROR_CODES: readonly CodeRow[] = [
  // Generic codes, any API.
  { code: 99991400, kind: 'rate_limited', name: 'request trigger frequency limit', doc: GENERIC },
  { code: 99991401, kind: 'credentials', name: 'ip is denied by app setting', doc: GENERIC },
  { code: 99991403, kind: 'quota', name: "This month's API call quota has been exceeded", doc: GENERIC },
  { code: 99991661, kind: 'auth', name: 'Need a token', doc: GENERIC },
  { code: 99991663, kind: 'auth', name: 'Invalid access token', doc: GENERIC },
  { code: 99991665, kind: 'auth', name: 'invalid tenant code', doc: GENERIC },
  { code: 99991668, kind: 'auth', name: 'user_access_token invalid', doc: GENERIC },
  { code: 99991677, kind: 'auth', name: 'token expire', doc: GENERIC },
  { code: 99991664, kind: 'credentials', name: 'invalid app token', doc: GENERIC },
  { code: 99991672, kind: 'credentials', name: 'Access denied (a scope is required)', doc: GENERIC },
  { code: 99991679, kind: 'credentials', name: 'Unauthorized (user re-authorization)', doc: GENERIC },
  { code: 99991543, kind: 'credentials', name: 'app_id or app_secret does not exist', doc: GENERIC },
  // The token endpoint: a wrong app id (10003), or a token Feishu would not issue.
  { code: 10003, kind: 'credentials', name: 'invalid parameter', doc: GENERIC },
  { code: 10012, kind: 'credentials', name: 'get app access token fail', doc: GENERIC },
  { code: 10013, kind: 'credentials', name: 'get tenant access token fail', doc: GENERIC },
  { code: 10014, kind: 'credentials', name: 'app unauthorized', doc: GENERIC },
  { code: 10015, kind: 'credentials', name: 'wrong app secret', doc: GENERIC },
  // A signed-in user's login has ended (auth: "user"): log in again (the fix is in errors.ts).
  { code: 20026, kind: 'credentials', name: 'invalid refresh token', doc: USER_REFRESH },
  { code: 20037, kind: 'credentials', name: 'refresh token expired', doc: USER_REFRESH },
  { code: 20064, kind: 'credentials', name: 'refresh token revoked', doc: USER_REFRESH },
  { code: 20073, kind: 'credentials', name: 'refresh token already used', doc: USER_REFRESH },
  // Sheets (generic page, sheets section; v3 codes on each sheets page).
  { code: 90217, kind: 'rate_limited', name: 'TooManyRequest', doc: GENERIC },
  { code: 90235, kind: 'temporary', name: 'Retry later', doc: GENERIC },
  { code: 90242, kind: 'temporary', name: 'Spreadsheet in mix state', doc: GENERIC },
  // The sheets reader reads a smaller block on this one (src/sources/sheets).
  { code: 90221, kind: 'bad_request', name: 'TooLargeResponse', doc: GENERIC },
  { code: 1310213, kind: 'permission', name: 'Permission Fail', doc: SHEETS_QUERY },
  { code: 1310214, kind: 'not_found', name: 'SpreadSheet Not Found', doc: SHEETS_QUERY },
  { code: 1310249, kind: 'not_found', name: 'Spreadsheet Deleted', doc: SHEETS_QUERY },
  // Bitable.
  { code: 1254001, kind: 'bad_request', name: 'WrongRequestBody', doc: BITABLE_TABLES },
  { code: 1254002, kind: 'temporary', name: 'Fail (internal error)', doc: BITABLE_TABLES },
  { code: 1254004, kind: 'not_found', name: 'WrongTableId', doc: BITABLE_TABLES },
  // The records reader asks for a smaller page on this one (src/sources/bitable).
  { code: 1254030, kind: 'bad_request', name: 'TooLargeResponse', doc: BITABLE_RECORDS },
  { code: 1254036, kind: 'temporary', name: 'Base is copying, please try again later', doc: BITABLE_TABLES },
  { code: 1254290, kind: 'rate_limited', name: 'TooManyRequest', doc: BITABLE_TABLES },
  { code: 1254302, kind: 'permission', name: 'The role has no permissions', doc: BITABLE_TABLES },
  { code: 1254303, kind: 'permission', name: 'AttachPermNotAllow', doc: BITABLE_RECORDS },
  { code: 1254607, kind: 'temporary', name: 'Data not ready, please try again later', doc: BITABLE_TABLES },
  { code: 1255001, kind: 'temporary', name: 'InternalError', doc: BITABLE_TABLES },
  { code: 1255002, kind: 'temporary', name: 'RpcError', doc: BITABLE_TABLES },
  { code: 1255003, kind: 'temporary', name: 'MarshalError', doc: BITABLE_TABLES },
  { code: 1255004, kind: 'temporary', name: 'UmMarshalError', doc: BITABLE_TABLES },
  { code: 1255005, kind: 'temporary', name: 'ConvError', doc: BITABLE_TABLES },
  { code: 1255040, kind: 'temporary', name: 'Request timed out', doc: BITABLE_TABLES },
  // Wiki.
  { code: 131001, kind: 'temporary', name: 'rpc fail', doc: WIKI_NODE },
  { code: 131005, kind: 'not_found', name: 'not found', doc: WIKI_NODE },
  { code: 131006, kind: 'permission', name: 'permission denied', doc: WIKI_NODE },
  // "服务内部错误，请勿重试": internal, but the page asks not to retry; the next run reads it again.
  { code: 131007, kind: 'temporary', name: 'internal err', noRetry: true, doc: WIKI_NODE },
  // Drive.
  { code: 1061001, kind: 'temporary', name: 'internal error', doc: DRIVE_FILES },
  { code: 1061002, kind: 'bad_request', name: 'params error', doc: DRIVE_FILES },
  { code: 1061003, kind: 'not_found', name: 'not found', doc: DRIVE_FILES },
  { code: 1061004, kind: 'permission', name: 'forbidden', doc: DRIVE_FILES },
  { code: 1061007, kind: 'not_found', name: 'file has been delete', doc: DRIVE_FILES },
  // 5 QPS or 10,000 a day exceeded: "可通过稍后重试解决". Not by itself "the day is spent": the
  // downloader decides that (src/limits/day-spent.ts).
  { code: 1061045, kind: 'rate_limited', name: 'over the download limit, retry later', doc: DRIVE_DOWNLOAD },
  { code: 1061073, kind: 'credentials', name: 'no scope auth', doc: DRIVE_FILES },
  // Docx.
  { code: 1770002, kind: 'not_found', name: 'not found', doc: DOCX_BLOCKS },
  { code: 1770032, kind: 'permission', name: 'forbidden', doc: DOCX_BLOCKS },
  // A whiteboard id that does not exist (HTTP 400).
  { code: 2890003, kind: 'not_found', name: 'record missing', doc: BOARD },
  // [secondary] older sheets/docs answers seen in the wild; not on a current page.
  { code: 91402, kind: 'not_found', name: 'NOTEXIST', doc: GENERIC },
  { code: 91403, kind: 'permission', name: 'FORBIDDEN', doc: GENERIC },
];

const BY_CODE = new Map(ERROR_CODES.map((r) => [r.code, r]));

/** The row of a Feishu code, if the product knows it. */
export function codeRow(code: number | undefined): CodeRow | undefined {
  return code === undefined ? undefined : BY_CODE.get(code);
}
