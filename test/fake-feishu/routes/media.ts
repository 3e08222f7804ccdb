import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { type BlobReply, ContractError, fail, type JsonReply, ok, type RouteContext } from '../contract.js';
import type { Media, Tenant } from '../model.js';
import { allowParams } from '../paging.js';
import { makePng } from '../png.js';
import { fileBlob } from './blobs.js';
import type { RouteDef } from './route.js';

const TMP_URL_TTL_MS = 24 * 3600_000;

/**
 * Advanced-permission bitables (https://open.feishu.cn/document/server-docs/docs/drive-v1/media/introduction):
 * the download must carry `extra` naming the table, either the server's own `{bitablePerm:{tableId,rev}}`
 * or `{bitablePerm:{tableId,attachments:{fieldId:{recordId:[token]}}}}` pointing at the real cell.
 * Missing: 400; present but wrong: 403.
 */
export function checkExtra(tenant: Tenant, media: Media, rawExtra: string | null): JsonReply | undefined {
  const perm = media.permTable;
  if (!perm) return undefined;
  if (!rawExtra) return fail(400, 1061002, 'params error: extra is required to download this attachment');
  let parsed: { bitablePerm?: { tableId?: unknown; rev?: unknown; attachments?: unknown } };
  try {
    parsed = JSON.parse(rawExtra);
  } catch {
    return fail(400, 1061002, 'params error: extra is not JSON');
  }
  const bp = parsed?.bitablePerm;
  if (!bp || typeof bp !== 'object') return fail(400, 1061002, 'params error: extra has no bitablePerm');
  if (bp.tableId !== perm.tableId) return fail(403, 1061004, 'forbidden: extra names another table');
  const table = tenant.bitables.get(perm.appToken)?.tables.find((t) => t.tableId === perm.tableId);
  if (typeof bp.rev === 'number') {
    return table?.extraForms === 'attachments'
      ? fail(403, 1061004, 'forbidden: extra must name the field and record holding this file')
      : undefined;
  }
  if (!bp.attachments || typeof bp.attachments !== 'object') {
    return fail(400, 1061002, 'params error: bitablePerm needs rev or attachments');
  }
  for (const [fieldId, byRecord] of Object.entries(bp.attachments as Record<string, unknown>)) {
    for (const [recordId, tokens] of Object.entries((byRecord ?? {}) as Record<string, unknown>)) {
      if (!Array.isArray(tokens) || !tokens.includes(media.token)) continue;
      const value = table?.records.find((r) => r.recordId === recordId)?.fields[fieldId];
      if (value && typeof value === 'object' && value.attachments.includes(media.token)) return undefined;
    }
  }
  return fail(403, 1061004, 'forbidden: extra does not name the field and record holding this file');
}

function mediaFailure(media: Media | undefined): JsonReply | undefined {
  if (media?.kind !== 'media') return fail(404, 1061003, 'not found');
  if (media.state === 'deleted') return fail(404, 1061007, 'file has been deleted');
  // A document whose owner forbade copy/print/download answers as a file the app may not read: the
  // download page lists one 403 for both (https://open.feishu.cn/document/server-docs/docs/drive-v1/media/download).
  if (media.state === 'forbidden' || media.downloadDisabled) return fail(403, 1061004, 'forbidden');
  return undefined;
}

function signature(ctx: RouteContext, token: string, expires: number): string {
  return createHmac('sha256', ctx.tenant.appSecret).update(`${token}:${expires}`).digest('hex').slice(0, 32);
}

export const mediaRoutes: RouteDef[] = [
  {
    // https://open.feishu.cn/document/server-docs/docs/drive-v1/media/download
    name: 'media.download',
    method: 'GET',
    pattern: /^\/open-apis\/drive\/v1\/medias\/(?<file_token>[^/]+)\/download$/,
    handle(req, ctx) {
      allowParams(req.query, ['extra']);
      const media = ctx.tenant.media.get(req.params.file_token!);
      const failure = mediaFailure(media) ?? checkExtra(ctx.tenant, media!, req.query.get('extra'));
      return failure ?? fileBlob(ctx, media!);
    },
  },
  {
    // https://open.feishu.cn/document/server-docs/docs/drive-v1/media/batch_get_tmp_download_url
    name: 'media.tmp_url',
    method: 'GET',
    pattern: /^\/open-apis\/drive\/v1\/medias\/batch_get_tmp_download_url$/,
    handle(req, ctx) {
      allowParams(req.query, ['file_tokens', 'extra']);
      const tokens = req.query.getAll('file_tokens');
      if (tokens.length === 0 || tokens.length > 5) {
        throw new ContractError(`file_tokens must hold 1 to 5 tokens, got ${tokens.length}`);
      }
      const expires = ctx.clock.now() + TMP_URL_TTL_MS;
      const urls = [];
      for (const token of tokens) {
        const media = ctx.tenant.media.get(token);
        const failure = mediaFailure(media) ?? checkExtra(ctx.tenant, media!, req.query.get('extra'));
        if (failure) return failure;
        // Shaped like the real one (internal-api-drive-stream.feishu.cn/space/api/box/stream/download/
        // authcode/?code=...), on the fake's second host: outside /open-apis, no token needed.
        const code = `${token}.${expires}.${signature(ctx, token, expires)}`;
        urls.push({
          file_token: token,
          tmp_download_url: `${ctx.downloadUrl}/space/api/box/stream/download/authcode/?code=${code}`,
        });
      }
      return ok({ tmp_download_urls: urls });
    },
  },
  {
    // The temporary URL from batch_get_tmp_download_url, on the download host: no Authorization
    // header, valid 24 h. Unmetered unless a test sets a rate limit or daily cap on it: the docs are
    // silent on whether these fetches count.
    name: 'media.tmp_download',
    method: 'GET',
    pattern: /^\/space\/api\/box\/stream\/download\/authcode\/$/,
    auth: false,
    downloadHost: true,
    handle(req, ctx) {
      allowParams(req.query, ['code']);
      const [token = '', at = '', sig] = (req.query.get('code') ?? '').split('.');
      const expires = Number(at);
      if (sig !== signature(ctx, token, expires)) throw new ContractError('tmp download URL was altered');
      if (ctx.clock.now() > expires) return fail(403, 1061004, 'forbidden: the temporary URL has expired');
      const media = ctx.tenant.media.get(token);
      return mediaFailure(media) ?? fileBlob(ctx, media!);
    },
  },
  {
    // https://open.feishu.cn/document/docs/board-v1/whiteboard/download_as_image
    name: 'board.image',
    method: 'GET',
    pattern: /^\/open-apis\/board\/v1\/whiteboards\/(?<whiteboard_id>[^/]+)\/download_as_image$/,
    handle(req, ctx) {
      allowParams(req.query, []);
      const board = ctx.tenant.boards.get(req.params.whiteboard_id!);
      if (!board) return fail(404, 2890002, 'not found: whiteboard');
      return boardBlob(ctx.tenant, board.whiteboardId);
    },
  },
];

export function boardPng(tenant: Tenant, whiteboardId: string): Buffer {
  const board = tenant.boards.get(whiteboardId)!;
  return makePng(board.width, board.height, `${tenant.seed}:${whiteboardId}`);
}

function boardBlob(tenant: Tenant, whiteboardId: string): BlobReply {
  const png = boardPng(tenant, whiteboardId);
  return {
    kind: 'blob',
    size: png.length,
    mimeType: 'image/png',
    fileName: `${whiteboardId}.png`,
    open: (start, end) => Readable.from([png.subarray(start, end)]),
  };
}
