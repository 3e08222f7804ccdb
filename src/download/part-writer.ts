import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { bootId, type PartAbout, type PartPaths, writeMeta } from './part-file.js';

/** Bytes written in one `writev`: large enough to keep syscalls rare, small enough to bound memory. */
const BATCH_BYTES = 1 << 20;
/**
 * Positional writes in flight at once. With one, the stream sat idle ~1.4 s per GiB waiting for it;
 * each holds one batch, so memory stays bounded at about (WRITES_IN_FLIGHT + 1) batches.
 */
const WRITES_IN_FLIGHT = 3;
/** Bytes between fsync checkpoints (what a power cut can cost at most). */
const CHECKPOINT_BYTES = 64 << 20;

/** Thrown when a body carries more bytes than its headers announced. */
export class BodyTooLongError extends Error {
  override readonly name = 'BodyTooLongError';
  readonly code = 'DOWNLOAD_BODY_TOO_LONG';
}

/** Appends a body to a `.part` file, hashing as it goes; `finish` fsyncs, `publish` renames. */
export class PartWriter {
  readonly paths: PartPaths;
  readonly total: number;
  readonly #about: PartAbout;
  #fh: FileHandle;
  #hash: Hash;
  #position: number;
  #syncedAt: number;
  #pending: Uint8Array[] = [];
  /** A checkpoint in progress: fsync runs beside the stream instead of stalling it. */
  #syncing: Promise<void> | undefined;
  /**
   * The writes in flight, oldest first. Batches are written positionally while the next ones are
   * received and hashed (at most WRITES_IN_FLIGHT, so memory stays bounded); awaiting each write
   * stalled the stream (~40% slower), and one in flight still left it idle a third of the time.
   */
  #writing: Promise<void>[] = [];
  #pendingBytes = 0;

  private constructor(
    paths: PartPaths,
    fh: FileHandle,
    hash: Hash,
    position: number,
    total: number,
    about: PartAbout,
  ) {
    this.paths = paths;
    this.#about = about;
    this.#fh = fh;
    this.#hash = hash;
    this.#position = position;
    this.#syncedAt = position;
    this.total = total;
  }

  /**
   * Opens the `.part` to continue at `from` (0: start over) for a file of `total` bytes. The bytes
   * already there are hashed again from disk: a hash state cannot be saved across processes.
   * `about` (the server's name and type for the file) is kept in the sidecar.
   */
  static async open(
    paths: PartPaths,
    from: number,
    total: number,
    about: PartAbout = {},
  ): Promise<PartWriter> {
    await mkdir(dirname(paths.part), { recursive: true });
    const hash = createHash('sha256');
    if (from > 0) {
      for await (const chunk of createReadStream(paths.part, { start: 0, end: from - 1 })) {
        hash.update(chunk as Buffer);
      }
    }
    await writeMeta(paths, { v: 1, total, synced: from, boot: bootId(), ...about });
    const fh = await open(paths.part, from > 0 ? 'r+' : 'w');
    if (from > 0) await fh.truncate(from);
    return new PartWriter(paths, fh, hash, from, total, about);
  }

  /** Bytes in the file (written or queued). */
  get position(): number {
    return this.#position + this.#pendingBytes;
  }

  /** Streams `body` in; throws BodyTooLongError (writing nothing past `total`) if it overruns. */
  async pump(body: AsyncIterable<Uint8Array>, onBytes?: (n: number) => void): Promise<void> {
    for await (const chunk of body) {
      this.#take(chunk, onBytes);
      if (this.#pendingBytes >= BATCH_BYTES) await this.#flush();
    }
    await this.#drain();
  }

  /**
   * Streams `held` (bytes already read off the body) and then the rest of `body` in, as `pump` does.
   * Reads the body in flowing mode ('data' events, paused while the writes in flight are full): its
   * async iterator concatenates the buffered chunks on every read, a copy that cost ~0.7 s per GiB
   * with its garbage. Destroys the body when it stops early (body too long, write failure).
   */
  async pumpStream(
    held: Uint8Array[],
    body: Readable | undefined,
    onBytes?: (n: number) => void,
  ): Promise<void> {
    try {
      for (const chunk of held) {
        this.#take(chunk, onBytes);
        if (this.#pendingBytes >= BATCH_BYTES) await this.#flush();
      }
    } catch (e) {
      body?.destroy();
      throw e;
    }
    if (body) await this.#flow(body, onBytes);
    await this.#drain();
  }

  #flow(body: Readable, onBytes?: (n: number) => void): Promise<void> {
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
          this.#take(chunk, onBytes);
        } catch (e) {
          settle(e);
          return;
        }
        if (waiting || this.#pendingBytes < BATCH_BYTES) return;
        if (this.#writing.length < WRITES_IN_FLIGHT) {
          this.#issue();
          return;
        }
        // Every write slot is busy: stop the socket (backpressure) until the oldest write is done.
        waiting = true;
        body.pause();
        this.#flush().then(
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
            this.#take(chunk, onBytes);
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

  /** Hashes and queues one chunk, refusing any byte past `total`; starts a checkpoint when one is due. */
  #take(chunk: Uint8Array, onBytes?: (n: number) => void): void {
    if (this.position + chunk.byteLength > this.total) {
      throw new BodyTooLongError(`the body is longer than the ${this.total} bytes announced`);
    }
    this.#hash.update(chunk);
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.byteLength;
    onBytes?.(chunk.byteLength);
    if (this.#position - this.#syncedAt >= CHECKPOINT_BYTES && !this.#syncing) this.#startCheckpoint();
  }

  /** Keeps what was received for a later resume: flush, fsync, record, close. Returns the bytes kept. */
  async park(): Promise<number> {
    try {
      await this.#syncing?.catch(() => undefined);
      await this.#drain();
      await this.#checkpoint();
    } finally {
      await this.#fh.close();
    }
    return this.#position;
  }

  /** Closes without keeping anything durable beyond what is there (after a local error). */
  async abandon(): Promise<void> {
    await Promise.allSettled(this.#writing);
    await this.#syncing?.catch(() => undefined);
    await this.#fh.close().catch(() => undefined);
  }

  /**
   * Fsyncs and closes the complete file; returns its SHA-256 (hex). Once the data is durable the
   * sidecar records every byte as synced (a checkpoint like the others), so a `.part` that a reboot
   * catches before its rename keeps all its bytes instead of falling back to the last checkpoint.
   */
  async finish(): Promise<{ sha256: string; bytes: number }> {
    try {
      await this.#syncing;
      await this.#drain();
      await this.#fh.sync();
      this.#syncedAt = this.#position;
      await this.#writeMeta(this.#position);
    } catch (e) {
      // A failed checkpoint, write, fsync or sidecar: close the file anyway (once the writes still
      // in flight are done), and report that failure, not one from closing.
      await this.abandon();
      throw e;
    }
    await this.#fh.close();
    return { sha256: this.#hash.digest('hex'), bytes: this.#position };
  }

  /** Issues the pending bytes as the next write, once a write slot is free. */
  async #flush(): Promise<void> {
    // A finished write leaves the list by itself; a failed one stays, so this throws its error.
    while (this.#writing.length >= WRITES_IN_FLIGHT) await Promise.race(this.#writing);
    this.#issue();
  }

  /** Starts the write of the pending bytes at their position (the caller checked a slot is free). */
  #issue(): void {
    if (this.#pendingBytes === 0) return;
    const chunks = this.#pending;
    const bytes = this.#pendingBytes;
    const at = this.#position;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#position += bytes;
    const writing = this.#writeAll(chunks, bytes, at);
    // A failure surfaces at the next flush or drain, which await it; not as an unhandled rejection.
    writing.then(
      () => this.#writing.splice(this.#writing.indexOf(writing), 1),
      () => undefined,
    );
    this.#writing.push(writing);
  }

  /** Flushes and waits until every byte is written. */
  async #drain(): Promise<void> {
    await this.#flush();
    while (this.#writing.length > 0) await Promise.all(this.#writing);
  }

  async #writeAll(chunks: Uint8Array[], bytes: number, at: number): Promise<void> {
    let written = 0;
    // writev may write less than asked (rare, but a full disk does it): loop on the rest.
    while (written < bytes) {
      const rest = written === 0 ? chunks : sliceFrom(chunks, written);
      const r = await this.#fh.writev(rest as NodeJS.ArrayBufferView[], at + written);
      written += r.bytesWritten;
    }
  }

  /** Syncs what is written so far while the stream goes on; only those bytes are recorded as durable. */
  #startCheckpoint(): void {
    const upTo = this.#position;
    // Every byte below `upTo` belongs to a write issued by now (finished, or in this list).
    const written = Promise.all(this.#writing);
    this.#syncedAt = upTo;
    this.#syncing = (async () => {
      await written;
      await this.#fh.datasync();
      await this.#writeMeta(upTo);
    })().finally(() => {
      this.#syncing = undefined;
    });
    // A failure surfaces at park/finish, which await it; do not let it go unhandled meanwhile.
    this.#syncing.catch(() => undefined);
  }

  async #checkpoint(): Promise<void> {
    await this.#fh.datasync();
    this.#syncedAt = this.#position;
    await this.#writeMeta(this.#position);
  }

  /** Records in the sidecar that the first `synced` bytes are durable (call only after an fsync). */
  #writeMeta(synced: number): Promise<void> {
    return writeMeta(this.paths, { v: 1, total: this.total, synced, boot: bootId(), ...this.#about });
  }
}

function sliceFrom(chunks: Uint8Array[], offset: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let skip = offset;
  for (const c of chunks) {
    if (skip >= c.byteLength) {
      skip -= c.byteLength;
      continue;
    }
    out.push(skip > 0 ? c.subarray(skip) : c);
    skip = 0;
  }
  return out;
}
