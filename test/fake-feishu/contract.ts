import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../../src/limits/clock.js';
import type { Tenant } from './model.js';

/** The route names, the same strings as src/feishu/buckets.ts. */
export type RouteName =
  | 'auth'
  | 'drive.list'
  | 'wiki.spaces'
  | 'wiki.nodes'
  | 'wiki.get_node'
  | 'docx.document'
  | 'docx.blocks'
  | 'sheets.query'
  | 'sheets.values'
  | 'sheets.float_images'
  | 'sheets.metainfo'
  | 'bitable.app'
  | 'bitable.tables'
  | 'bitable.fields'
  | 'bitable.records'
  | 'media.download'
  | 'media.tmp_url'
  | 'drive.download'
  | 'board.image'
  | 'drive.member_auth'
  | 'drive.folder_meta'
  | 'wiki.space'
  | 'sheets.spreadsheet'
  | 'drive.metas'
  /** The pre-signed URL handed out by media.tmp_url (no Authorization header). */
  | 'media.tmp_download'
  /** My Space's root folder (drive/explorer/v2/root_folder/meta). */
  | 'drive.root_meta'
  /** The OAuth endpoints of a user login (oauth/routes.ts). */
  | 'oauth.authorize'
  | 'oauth.token'
  | 'oauth.device'
  | 'oauth.user_info';

/** What a route handler sees of a request. */
export interface FakeRequest {
  method: string;
  path: string;
  route: RouteName;
  /** Named groups of the route's path pattern, URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, if any. */
  body: unknown;
}

/** Shared state handlers read. */
export interface RouteContext {
  tenant: Tenant;
  clock: Clock;
  /** The server's own base URL, for the `url`/`tmp_url` fields it hands out. */
  baseUrl: string;
  /** The download host's base URL (a second loopback server), for temporary URLs. */
  downloadUrl: string;
  /** Who the request acts as: the app (tenant token) or the signed-in user (user token). @default 'app' */
  identity?: 'app' | 'user';
}

export interface JsonReply {
  kind: 'json';
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Bytes the server sends with Range support; `open(start, end)` streams [start, end). */
export interface BlobReply {
  kind: 'blob';
  size: number;
  mimeType: string;
  fileName: string;
  open: (start: number, end: number) => NodeJS.ReadableStream;
}

export type Reply = JsonReply | BlobReply;

/** The request broke the documented contract (bad params, page_size over the limit...). */
export class ContractError extends Error {
  override readonly name = 'ContractError';
}

export function ok(data: unknown, extra: Record<string, unknown> = {}): JsonReply {
  return { kind: 'json', status: 200, body: { code: 0, msg: 'success', data, ...extra } };
}

export function fail(status: number, code: number, msg: string, headers?: Record<string, string>): JsonReply {
  return { kind: 'json', status, body: { code, msg }, ...(headers ? { headers } : {}) };
}
