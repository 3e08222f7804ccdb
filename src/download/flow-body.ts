import type { Readable } from 'node:stream';
import type { BatchedWrites } from './batched-writes.js';

/**
 * Reads `body` to its end in flowing mode ('data' events), handing each chunk to `take` (which may
 * throw to stop, e.g. a body too long) and issuing a batch of `writes` whenever one is due; paused
 * while every write slot is busy. Not the body's async iterator: it concatenates the buffered chunks
 * on every read, a copy that cost ~0.7 s per GiB with its garbage. Rejects when the body fails or
 * `take` or a write does, destroying the body; resolves at its end (the bytes still queued are the
 * caller's to drain).
 */
export function flowBody(
  body: Readable,
  take: (chunk: Buffer) => void,
  writes: BatchedWrites,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let waiting = false;
    const settle = (e?: unknown): void => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', broken);
      body.off('close', onClose);
      if (e === undefined) {
        resolve();
      } else {
        // Late errors of a destroyed body must not go unhandled.
        body.on('error', () => undefined);
        body.destroy();
        reject(e);
      }
    };
    const onData = (chunk: Buffer): void => {
      try {
        take(chunk);
      } catch (e) {
        settle(e);
        return;
      }
      if (waiting || !writes.batchDue) return;
      if (writes.slotFree) {
        writes.issue();
        return;
      }
      // Every write slot is busy: stop the socket (backpressure) until the oldest write is done.
      waiting = true;
      body.pause();
      writes.flush().then(
        () => {
          waiting = false;
          if (!settled) body.resume();
        },
        (e: unknown) => settle(e),
      );
    };
    /**
     * The body failed (reset, abort, closed early). undici destroys it at once, and a destroyed
     * stream emits no more 'data', but bytes received before the failure may still sit in its
     * buffer: the body was paused (between sniffing and here, or for backpressure) while they came
     * in, up to its highWaterMark. They are a correct prefix of the body: take them (read() still
     * hands them out) so the `.part` keeps every byte that arrived, then fail.
     */
    const broken = (e: unknown): void => {
      if (settled) return;
      body.off('data', onData);
      try {
        for (;;) {
          const chunk = body.read() as Buffer | null;
          if (chunk === null) break;
          take(chunk);
        }
      } catch (tooLong) {
        settle(tooLong);
        return;
      }
      settle(e);
    };
    const onEnd = (): void => settle();
    const onClose = (): void => {
      if (!body.readableEnded) broken(new Error('the body closed before its end'));
    };
    // The body may have ended, failed or closed while no one listened (between sniffing and here).
    if (body.readableEnded) return resolve();
    if (body.errored) return broken(body.errored);
    if (body.destroyed) return broken(new Error('the body closed before its end'));
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', broken);
    body.on('close', onClose);
    body.resume();
  });
}
