import type { Readable } from 'node:stream';

/** A Feishu error answer is a few hundred bytes; more than this is not one. */
const MAX_ENVELOPE_BYTES = 64 * 1024;

export interface Envelope {
  code?: number;
  msg?: string;
}

/**
 * Closes a body we will not read. undici's body emits an AbortError when destroyed without a reason;
 * with no reader listening that would be an uncaught exception, so swallow it here.
 */
export function dropBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Reads an error body (bounded), returning the Feishu envelope if it is one. Destroys the rest. */
export async function readEnvelope(body: Readable): Promise<Envelope | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).byteLength;
      if (size > MAX_ENVELOPE_BYTES) break;
    }
  } catch {
    // A reset while reading an error body: classify by status alone.
  } finally {
    dropBody(body);
  }
  return size > MAX_ENVELOPE_BYTES ? undefined : parseEnvelope(Buffer.concat(chunks));
}

/**
 * Looks at the start of a 2xx body for a Feishu error envelope: when the type says JSON or the body
 * starts with `{`, up to 64 KiB are held back; if the whole body fits and is `{"code": <n>, ...}`,
 * it is an error, not the file. Otherwise the held bytes are replayed before the rest, unchanged.
 * (A user's own JSON attachment shaped exactly like an envelope would be misread; a risk accepted to
 * never save an error as a file.)
 */
export async function sniffEnvelope(
  body: Readable,
  contentType: string | undefined,
): Promise<{ envelope?: Envelope; body: AsyncIterable<Uint8Array> }> {
  // Errors still reach the iterator; this only keeps a late one (after we stopped reading) from crashing.
  body.on('error', () => undefined);
  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const held: Buffer[] = [];
  let size = 0;
  let ended = false;
  const first = await it.next();
  if (first.done) return { body: replay(held, it, true) };
  held.push(first.value);
  size = first.value.byteLength;
  const looksJson = /json/i.test(contentType ?? '') || firstNonSpace(first.value) === 0x7b;
  if (looksJson) {
    while (size <= MAX_ENVELOPE_BYTES) {
      const next = await it.next();
      if (next.done) {
        ended = true;
        break;
      }
      held.push(next.value);
      size += next.value.byteLength;
    }
    if (ended) {
      const envelope = parseEnvelope(Buffer.concat(held));
      if (envelope) return { envelope, body: replay([], it, true) };
    }
  }
  return { body: replay(held, it, ended) };
}

async function* replay(held: Buffer[], it: AsyncIterator<Buffer>, ended: boolean): AsyncGenerator<Buffer> {
  try {
    yield* held;
    if (ended) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // A consumer that stops early (body too long, abort) must not leave the socket hanging.
    if (!ended) await it.return?.();
  }
}

function firstNonSpace(b: Buffer): number | undefined {
  for (const byte of b) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  return undefined;
}

function parseEnvelope(bytes: Buffer): Envelope | undefined {
  try {
    const v = JSON.parse(bytes.toString('utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const { code, msg } = v as { code?: unknown; msg?: unknown };
    if (typeof code !== 'number') return undefined;
    return typeof msg === 'string' ? { code, msg } : { code };
  } catch {
    return undefined;
  }
}
