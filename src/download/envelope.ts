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
 * it is an error, not the file. Otherwise the bytes read are returned in `held`, to be written before
 * the `rest` of the body (paused; absent when the body has ended), unchanged.
 * (A user's own JSON attachment shaped exactly like an envelope would be misread; a risk accepted to
 * never save an error as a file.) Reads with 'data' events, not the async iterator, so the caller can
 * go on in flowing mode (see `PartWriter.pumpStream`).
 */
export async function sniffEnvelope(
  body: Readable,
  contentType: string | undefined,
): Promise<{ envelope?: Envelope; held: Buffer[]; rest?: Readable }> {
  // Errors still reach the reader's listener; this only keeps a late one (after we stopped reading) from crashing.
  body.on('error', () => undefined);
  const held: Buffer[] = [];
  let size = 0;
  let looksJson: boolean | undefined;
  const ended = await new Promise<boolean>((resolve, reject) => {
    const stop = (): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      held.push(chunk);
      size += chunk.byteLength;
      looksJson ??= /json/i.test(contentType ?? '') || firstNonSpace(chunk) === 0x7b;
      if (!looksJson || size > MAX_ENVELOPE_BYTES) {
        body.pause();
        stop();
        resolve(false);
      }
    };
    const onEnd = (): void => {
      stop();
      resolve(true);
    };
    const onError = (e: unknown): void => {
      stop();
      reject(e);
    };
    const onClose = (): void => {
      if (!body.readableEnded) onError(new Error('the body closed before its end'));
    };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
  });
  if (ended && looksJson) {
    const envelope = parseEnvelope(Buffer.concat(held));
    if (envelope) return { envelope, held: [] };
  }
  return ended ? { held } : { held, rest: body };
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
