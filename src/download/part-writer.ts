import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { BatchedWrites } from './batched-writes.js';
import { flowBody } from './flow-body.js';
import { bootId, type PartAbout, type PartPaths, writeMeta } from './part-file.js';

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
  /** The bytes taken, on their way to the file (see batched-writes.ts). */
  #writes: BatchedWrites;
  #syncedAt: number;
  /** A checkpoint in progress: fsync runs beside the stream instead of stalling it. */
  #syncing: Promise<void> | undefined;

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
    this.#writes = new BatchedWrites(fh, position);
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
    const fh = await open(paths.part, from > 0 ? 'r+' : 'w');
    try {
      if (from > 0) {
        await fh.truncate(from);
        // The sidecar is about to say these bytes are durable: after a crash (same boot) they may
        // be only in the page cache, and a power cut before the next checkpoint would then resume
        // on bytes the disk never got. Make them durable first.
        await fh.sync();
      }
      await writeMeta(paths, { v: 1, total, synced: from, boot: bootId(), ...about });
    } catch (e) {
      await fh.close().catch(() => undefined);
      throw e;
    }
    return new PartWriter(paths, fh, hash, from, total, about);
  }

  /** Bytes in the file (written or queued). */
  get position(): number {
    return this.#writes.issued + this.#writes.pendingBytes;
  }

  /** Streams `body` in; throws BodyTooLongError (writing nothing past `total`) if it overruns. */
  async pump(body: AsyncIterable<Uint8Array>, onBytes?: (n: number) => void): Promise<void> {
    for await (const chunk of body) {
      this.#take(chunk, onBytes);
      if (this.#writes.batchDue) await this.#writes.flush();
    }
    await this.#writes.drain();
  }

  /**
   * Streams `held` (bytes already read off the body) and then the rest of `body` in, as `pump` does,
   * reading the body in flowing mode (see flow-body.ts). Destroys the body when it stops early (body
   * too long, write failure); keeps the bytes it had received when it fails.
   */
  async pumpStream(
    held: Uint8Array[],
    body: Readable | undefined,
    onBytes?: (n: number) => void,
  ): Promise<void> {
    try {
      for (const chunk of held) {
        this.#take(chunk, onBytes);
        if (this.#writes.batchDue) await this.#writes.flush();
      }
    } catch (e) {
      body?.destroy();
      throw e;
    }
    if (body) await flowBody(body, (chunk) => this.#take(chunk, onBytes), this.#writes);
    await this.#writes.drain();
  }

  /** Hashes and queues one chunk, refusing any byte past `total`; starts a checkpoint when one is due. */
  #take(chunk: Uint8Array, onBytes?: (n: number) => void): void {
    if (this.position + chunk.byteLength > this.total) {
      throw new BodyTooLongError(`the body is longer than the ${this.total} bytes announced`);
    }
    this.#hash.update(chunk);
    this.#writes.queue(chunk);
    onBytes?.(chunk.byteLength);
    if (this.#writes.issued - this.#syncedAt >= CHECKPOINT_BYTES && !this.#syncing) {
      this.#startCheckpoint();
    }
  }

  /** Keeps what was received for a later resume: flush, fsync, record, close. Returns the bytes kept. */
  async park(): Promise<number> {
    try {
      await this.#syncing?.catch(() => undefined);
      await this.#writes.drain();
      await this.#checkpoint();
    } finally {
      await this.#fh.close();
    }
    return this.#writes.issued;
  }

  /** Closes without keeping anything durable beyond what is there (after a local error). */
  async abandon(): Promise<void> {
    await this.#writes.settled();
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
      await this.#writes.drain();
      await this.#fh.sync();
      this.#syncedAt = this.#writes.issued;
      await this.#writeMeta(this.#writes.issued);
    } catch (e) {
      // A failed checkpoint, write, fsync or sidecar: close the file anyway (once the writes still
      // in flight are done), and report that failure, not one from closing.
      await this.abandon();
      throw e;
    }
    await this.#fh.close();
    return { sha256: this.#hash.digest('hex'), bytes: this.#writes.issued };
  }

  /** Syncs what is written so far while the stream goes on; only those bytes are recorded as durable. */
  #startCheckpoint(): void {
    const upTo = this.#writes.issued;
    // Every byte below `upTo` belongs to a write issued by now (finished, or still in flight).
    const written = this.#writes.issuedWritten();
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
    this.#syncedAt = this.#writes.issued;
    await this.#writeMeta(this.#writes.issued);
  }

  /** Records in the sidecar that the first `synced` bytes are durable (call only after an fsync). */
  #writeMeta(synced: number): Promise<void> {
    return writeMeta(this.paths, { v: 1, total: this.total, synced, boot: bootId(), ...this.#about });
  }
}
