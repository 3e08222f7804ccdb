import type { Dispatcher } from 'undici';
import { request } from 'undici';
import { FeishuError, isNetworkError } from '../feishu/errors.js';
import type { Answer } from '../feishu/shapes/recorder.js';
import { filenameFromContentDisposition } from './content-disposition.js';
import { parseContentLength } from './content-range.js';
import { ENDPOINTS, type Endpoint } from './endpoints.js';
import { dropBody, readEnvelope, sniffEnvelope } from './envelope.js';
import { discardPart, type PartAbout, type PartPaths, resumePoint, UNKNOWN_TOTAL } from './part-file.js';
import { BodyTooLongError, PartWriter } from './part-writer.js';
import { judgePartial, judgeUnsatisfiable } from './range-answers.js';

/**
 * One request of `GET /open-apis/drive/v1/medias/:file_token/download`
 * (https://open.feishu.cn/document/server-docs/docs/drive-v1/media/download), continuing a `.part`
 * with `Range` when one is there. Never buffers a body: media bytes go straight to the `.part`.
 */
export interface MediaRequest {
  dispatcher: Dispatcher;
  baseUrl: string;
  token: string;
  fileToken: string;
  /** The `extra` query value (advanced-permission bitables), as the inventory holds it (not encoded). */
  extra?: string | null;
  paths: PartPaths;
  /** Bytes already in the `.part` (from `resumePoint`). */
  have: number;
  /** Size the `.part` was started for (its sidecar's `total`), or the inventory's size. */
  expectedTotal?: number;
  /**
   * The inventory's (listed) size, when known: a hint. A body of another length is published only when
   * its own Content-Length or Content-Range announced that length (see the note in `fetchMedia`).
   */
  knownSize?: number;
  /** The file's version (drive files), recorded in the sidecar of a `.part` this answer starts. */
  version?: string;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
  /** Called when the answer's status and headers arrive (or the request fails): see `limiter.answered`. */
  onHeaders?: () => void;
  /** Which API serves the file (from `media.source`). @default ENDPOINTS.media */
  endpoint?: Endpoint;
  /** A temporary URL (tmp-urls.ts): fetched as is, without the Authorization header. */
  url?: string;
  /** Sees each answer's status, header names and error envelope (`--record-shapes`). */
  onAnswer?: ((answer: Answer) => void) | undefined;
}

export type AttemptOutcome =
  | { type: 'complete'; sha256: string; bytes: number; fileName?: string; mimeType?: string }
  /**
   * The server's 416 says the file is exactly the `bytes` the `.part` holds: the `.part` is the whole
   * file (the previous run stopped between the last byte and the rename). Nothing was written; the
   * caller seals it from disk and names it from its sidecar, not from this answer.
   */
  | { type: 'whole-on-disk'; bytes: number }
  /** Progress was made or a stale `.part` was dropped: ask again at once (no backoff). */
  | { type: 'again'; reason: string }
  | { type: 'error'; error: FeishuError };

export function mediaUrl(baseUrl: string, fileToken: string, extra?: string | null): string {
  return ENDPOINTS.media.url(baseUrl, fileToken, extra);
}

export async function fetchMedia(req: MediaRequest): Promise<AttemptOutcome> {
  const endpoint = req.endpoint ?? ENDPOINTS.media;
  const operation = endpoint.operation(req.fileToken);
  // A temporary URL carries its own code; our token is never sent to the download host.
  const headers: Record<string, string> = req.url ? {} : { authorization: `Bearer ${req.token}` };
  // Without Range support the caller passes have = 0 (a full body then restarts the .part anyway).
  if (req.have > 0 && endpoint.range) headers.range = `bytes=${req.have}-`;
  let res: Dispatcher.ResponseData;
  try {
    res = await request(req.url ?? endpoint.url(req.baseUrl, req.fileToken, req.extra), {
      dispatcher: req.dispatcher,
      method: 'GET',
      // The default 64 KiB buffer stalls the socket while a batch is written to disk; 256 KiB keeps it
      // flowing (loopback: 246 -> ~270 MiB/s) without the copying and memory a 4 MiB buffer cost.
      highWaterMark: 256 << 10,
      headers,
      ...(req.signal ? { signal: req.signal } : {}),
    });
  } catch (e) {
    req.onHeaders?.();
    return { type: 'error', error: transportError(operation, e) };
  }
  req.onHeaders?.();
  const h = (name: string): string | undefined => {
    const v = res.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const status = res.statusCode;
  if (status === 416) {
    // The body (Feishu's is a JSON envelope) is never read: a 416 is not a file and not an error to
    // classify. Only its status and `Content-Range` decide whether the `.part` is already whole.
    dropBody(res.body);
    req.onAnswer?.({ status, headers: res.headers });
    const verdict = judgeUnsatisfiable(req, headers.range !== undefined, h('content-range'));
    if (verdict.whole) return { type: 'whole-on-disk', bytes: req.have };
    await discardPart(req.paths);
    return { type: 'again', reason: `${verdict.reason}; starting the file again` };
  }
  if (status !== 200 && status !== 206) {
    const envelope = await readEnvelope(res.body);
    req.onAnswer?.({ status, headers: res.headers, json: envelope });
    return { type: 'error', error: envelopeError(operation, status, envelope, res.headers) };
  }

  let from: number;
  let total: number | undefined;
  if (status === 206) {
    const continued = judgePartial(req, h('content-range'), h('content-length'));
    if (!continued) {
      dropBody(res.body);
      await discardPart(req.paths);
      return {
        type: 'again',
        reason: `the partial answer (Content-Range ${h('content-range') ?? 'missing'}) does not continue the .part (${req.have} bytes); starting the file again`,
      };
    }
    from = req.have;
    // Written to the sidecar by PartWriter.open: a .part started without a length now has one, and
    // every later answer must agree with it.
    total = continued.total;
  } else {
    // 200: a full body, also when we asked for a range (a server that ignores Range): start from zero.
    from = 0;
    total = parseContentLength(h('content-length'));
  }
  // The known failure of other tools: a JSON error envelope with status 200 saved as the image.
  let sniffed: Awaited<ReturnType<typeof sniffEnvelope>>;
  try {
    sniffed = await sniffEnvelope(res.body, h('content-type'));
  } catch (e) {
    dropBody(res.body);
    return { type: 'error', error: transportError(operation, e) };
  }
  req.onAnswer?.({ status, headers: res.headers, json: sniffed.envelope, binary: !sniffed.envelope });
  if (sniffed.envelope) {
    return { type: 'error', error: envelopeError(operation, status, sniffed.envelope, res.headers) };
  }

  // A listed size is a hint, not a contract (issue 18): media tokens are immutable, so a body whose
  // Content-Length (or Content-Range total) differs from the listing is still the file, as long as the
  // transfer itself is complete and consistent: PartWriter refuses a byte past `total`, and a body
  // ending short of it is continued, not published. Both sizes stay in the inventory (listed-size.ts).
  const about: PartAbout = {};
  const fileName = filenameFromContentDisposition(h('content-disposition'));
  if (fileName) about.fileName = fileName;
  const mime = h('content-type')?.split(';')[0]?.trim();
  if (mime) about.mimeType = mime;
  if (req.version !== undefined) about.version = req.version;
  const writer = await PartWriter.open(req.paths, from, total ?? UNKNOWN_TOTAL, about);
  try {
    await writer.pumpStream(sniffed.held, sniffed.rest, req.onBytes);
  } catch (e) {
    if (e instanceof BodyTooLongError) {
      await writer.abandon();
      await discardPart(req.paths);
      return {
        type: 'error',
        error: new FeishuError(operation, { httpStatus: status, msg: e.message, kind: 'protocol', cause: e }),
      };
    }
    // A reset or abort mid-body: what arrived is a correct prefix; keep it for the next attempt.
    await writer.park().catch(() => undefined);
    if (isLocal(e)) throw e;
    return { type: 'error', error: transportError(operation, e) };
  }
  if (total !== undefined && writer.position < total) {
    // The server ended the body early without an error (or sent a shorter range): continue from here.
    const kept = await writer.park();
    return { type: 'again', reason: `received ${kept} of ${total} bytes; asking for the rest` };
  }
  const done = await writer.finish();
  if (total === undefined && req.knownSize !== undefined && done.bytes !== req.knownSize) {
    // No Content-Length: nothing but the listing says where the body should end, so a body that
    // ends elsewhere may have been cut short. Keep it as a `.part` of unknown size and ask for the
    // rest: a 416 saying the file is exactly these bytes publishes it (judgeUnsatisfiable), a 206
    // continues it. Without Range (or when that request got a whole body again) it is not kept.
    if (endpoint.range && req.have === 0) {
      return {
        type: 'again',
        reason: `received ${done.bytes} bytes without a Content-Length, but the listing says ${req.knownSize}; asking the server for the rest to confirm the length`,
      };
    }
    await discardPart(req.paths);
    return {
      type: 'error',
      error: new FeishuError(operation, {
        httpStatus: status,
        msg: `received ${done.bytes} bytes without a Content-Length, but the listing says ${req.knownSize}`,
        kind: 'protocol',
      }),
    };
  }
  return { type: 'complete', sha256: done.sha256, bytes: done.bytes, ...about };
}

/** Resumes where the `.part` stopped; see `resumePoint`. The range judgements are in range-answers.ts. */
export { judgePartial, judgeUnsatisfiable, resumePoint };

function isLocal(e: unknown): boolean {
  return typeof (e as { syscall?: unknown } | null)?.syscall === 'string';
}

function transportError(operation: string, e: unknown): FeishuError {
  if (e instanceof FeishuError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  // Every transport failure of a download is worth another try (reset, timeout, closed socket).
  return new FeishuError(operation, {
    msg: `network error: ${msg}`,
    cause: e,
    ...(isNetworkError(e) ? {} : { kind: 'temporary' as const }),
  });
}

function envelopeError(
  operation: string,
  status: number,
  envelope: { code?: number; msg?: string } | undefined,
  headers: Record<string, unknown>,
): FeishuError {
  const init: ConstructorParameters<typeof FeishuError>[1] = { httpStatus: status, headers };
  if (envelope?.code !== undefined) init.feishuCode = envelope.code;
  if (envelope?.msg !== undefined) init.msg = envelope.msg;
  if ((status === 200 || status === 206) && envelope?.code === 0) {
    init.kind = 'protocol';
    init.msg = 'a JSON answer came where the file was expected';
  }
  return new FeishuError(operation, init);
}
