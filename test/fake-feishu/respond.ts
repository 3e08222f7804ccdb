import type { ServerResponse } from 'node:http';
import type { Clock } from '../../src/limits/clock.js';
import type { BlobReply, JsonReply } from './contract.js';
import type { Fault } from './faults.js';

/** How the body of an answer is damaged, if at all (see Fault). */
export interface BodyFault {
  /** Destroy the connection after this many body bytes. */
  resetAfter?: number;
  /** Declare this Content-Length, send at most that many bytes, then close the connection. */
  declaredLength?: number;
  bytesPerSecond?: number;
}

export function bodyFaultOf(fault: Fault | undefined): BodyFault {
  if (fault?.kind === 'reset') return { resetAfter: fault.afterBytes };
  if (fault?.kind === 'lying-length') return { declaredLength: fault.declared };
  if (fault?.kind === 'slow') return { bytesPerSecond: fault.bytesPerSecond };
  return {};
}

const BASE_HEADERS = { 'x-tt-logid': 'fake-feishu', 'request-id': 'fake-feishu' };

export async function sendJson(
  res: ServerResponse,
  reply: JsonReply,
  clock: Clock,
  bf: BodyFault,
): Promise<number> {
  const body = Buffer.from(JSON.stringify(reply.body));
  return sendBody(
    res,
    reply.status,
    { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', ...reply.headers },
    [body],
    body.length,
    clock,
    bf,
  );
}

/** Status 200, JSON content type, a body cut in the middle. */
export async function sendMalformedJson(res: ServerResponse, clock: Clock): Promise<number> {
  const body = Buffer.from('{"code":0,"msg":"success","data":{"items":[{"block_id":"doxcn');
  return sendBody(
    res,
    200,
    { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8' },
    [body],
    body.length,
    clock,
    {},
  );
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; anything else (several ranges, garbage) is ignored, as RFC 9110 allows. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || last < start) return 'unsatisfiable';
  return { start, end: last + 1 };
}

/** RFC 6266 with both forms: an ASCII fallback and the exact UTF-8 name (RFC 5987). */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

export async function sendBlob(
  res: ServerResponse,
  blob: BlobReply,
  rangeHeader: string | undefined,
  clock: Clock,
  bf: BodyFault,
): Promise<{ status: number; bytes: number }> {
  const headers: Record<string, string> = {
    ...BASE_HEADERS,
    'content-type': blob.mimeType,
    'content-disposition': contentDisposition(blob.fileName),
    'accept-ranges': 'bytes',
  };
  const range = parseRange(rangeHeader, blob.size);
  if (range === 'unsatisfiable') {
    const body = Buffer.from(JSON.stringify({ code: 1061002, msg: 'range not satisfiable' }));
    headers['content-range'] = `bytes */${blob.size}`;
    headers['content-type'] = 'application/json; charset=utf-8';
    return { status: 416, bytes: await sendBody(res, 416, headers, [body], body.length, clock, bf) };
  }
  const { start, end } = range ?? { start: 0, end: blob.size };
  const status = range ? 206 : 200;
  if (range) headers['content-range'] = `bytes ${start}-${end - 1}/${blob.size}`;
  const source = blob.open(start, end);
  return { status, bytes: await sendBody(res, status, headers, source, end - start, clock, bf) };
}

async function sendBody(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  source: AsyncIterable<unknown> | Iterable<unknown>,
  length: number,
  clock: Clock,
  bf: BodyFault,
): Promise<number> {
  const declared = bf.declaredLength ?? length;
  let stopAt = Math.min(length, declared);
  if (bf.resetAfter !== undefined) stopAt = Math.min(stopAt, bf.resetAfter);
  const cut = stopAt < length || declared !== length;
  res.writeHead(status, {
    ...headers,
    'content-length': String(declared),
    ...(cut ? { connection: 'close' } : {}),
  });
  let sent = 0;
  try {
    for await (const raw of source as AsyncIterable<Buffer>) {
      let chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as Uint8Array);
      if (sent + chunk.length > stopAt) chunk = chunk.subarray(0, stopAt - sent);
      if (bf.bytesPerSecond) {
        // Tenths of a second on the fake's clock, so a ManualClock test drives the trickle.
        const slice = Math.max(1, Math.ceil(bf.bytesPerSecond / 10));
        for (let i = 0; i < chunk.length && !res.destroyed; i += slice) {
          const piece = chunk.subarray(i, i + slice);
          await write(res, piece, true);
          sent += piece.length;
          await clock.sleep((piece.length / bf.bytesPerSecond) * 1000);
        }
      } else if (chunk.length > 0) {
        await write(res, chunk, cut && sent + chunk.length >= stopAt);
        sent += chunk.length;
      }
      if (res.destroyed || sent >= stopAt) break;
    }
  } finally {
    (source as { destroy?: () => void }).destroy?.();
  }
  if (res.destroyed) return sent;
  if (bf.resetAfter !== undefined && bf.resetAfter < Math.min(length, declared)) {
    res.socket?.destroy();
  } else if (declared > length) {
    // The promised bytes never come: the client sees the connection close early.
    res.socket?.destroy();
  } else {
    res.end();
  }
  return sent;
}

/**
 * Writes a chunk, waiting for `drain` under back-pressure; with `flush`, waits until the bytes reached
 * the socket (before cutting the connection, so exactly the promised bytes get out).
 */
function write(res: ServerResponse, chunk: Buffer, flush: boolean): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('close', done);
      res.off('drain', done);
      resolve();
    };
    const more = res.write(chunk, flush ? done : undefined);
    if (more && !flush) {
      resolve();
      return;
    }
    res.once('close', done);
    if (!flush) res.once('drain', done);
  });
}
