import type { FileHandle } from 'node:fs/promises';
import { droppedBuffers } from '../v8-memory.js';

/**
 * Bytes written in one `writev`: large enough to keep syscalls rare, small enough to bound memory
 * (up to about 2 x WRITES_IN_FLIGHT + 1 batch buffers are alive: a batch can end in a second,
 * part-filled buffer). The CLI's `download` of 2 GiB peaked at a median of 91.9 MiB with 512 KiB
 * against 95.3 with 1 MiB (768 KiB: 93.4), wall time the same and CPU +2% (median of 6 rounds,
 * BENCHMARKS.md, Download, "The CLI's peak RSS").
 */
const BATCH_BYTES = 512 << 10;
/**
 * Positional writes in flight at once. With one, the stream sat idle ~1.4 s per GiB waiting for it;
 * each holds one batch, so memory stays bounded at about (WRITES_IN_FLIGHT + 1) batches.
 */
const WRITES_IN_FLIGHT = 3;

/**
 * Appends chunks to a file from `position` on, in batches written positionally while the next ones
 * are received (see PartWriter): queued chunks wait in memory until a batch is due and a write slot
 * is free. A failed write surfaces at the next `flush` or `drain`.
 */
export class BatchedWrites {
  readonly #fh: FileHandle;
  /** Where the next batch goes: every byte below it belongs to a write issued by now. */
  #issued: number;
  /** Queued bytes, copied into batch buffers (the last one filling); see `queue`. */
  #pending: Buffer[] = [];
  /** Bytes in the last pending buffer. */
  #fill = 0;
  #pendingBytes = 0;
  /** Batch buffers whose write is done, reused for the next batches. */
  #free: Buffer[] = [];
  /**
   * The writes in flight, oldest first. Batches are written positionally while the next ones are
   * received and hashed (at most WRITES_IN_FLIGHT, so memory stays bounded); awaiting each write
   * stalled the stream (~40% slower), and one in flight still left it idle a third of the time.
   */
  #writing: Promise<void>[] = [];

  constructor(fh: FileHandle, position: number) {
    this.#fh = fh;
    this.#issued = position;
  }

  /** Bytes written or being written (queued bytes not included). */
  get issued(): number {
    return this.#issued;
  }

  /** Bytes queued and not yet issued. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Whether enough bytes are queued for a batch. */
  get batchDue(): boolean {
    return this.#pendingBytes >= BATCH_BYTES;
  }

  /** Whether a batch can be issued at once (a write slot is free). */
  get slotFree(): boolean {
    return this.#writing.length < WRITES_IN_FLIGHT;
  }

  /**
   * Queues a chunk after the bytes already queued, copied into a batch buffer: the chunk itself (a
   * view of the socket's read buffer) is free to go as soon as it is hashed. Kept until their batch
   * is written, the chunks outlived the young generation and waited for a full garbage collection,
   * tens of MiB of them at a time; the batch buffers are a few, reused.
   */
  queue(chunk: Uint8Array): void {
    let from = 0;
    while (from < chunk.byteLength) {
      let buf = this.#pending.at(-1);
      if (buf === undefined || this.#fill === buf.byteLength) {
        buf = this.#free.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES);
        this.#pending.push(buf);
        this.#fill = 0;
      }
      const n = Math.min(chunk.byteLength - from, buf.byteLength - this.#fill);
      buf.set(n === chunk.byteLength ? chunk : chunk.subarray(from, from + n), this.#fill);
      this.#fill += n;
      from += n;
    }
    this.#pendingBytes += chunk.byteLength;
    droppedBuffers(chunk.byteLength);
  }

  /** Issues the pending bytes as the next write, once a write slot is free. */
  async flush(): Promise<void> {
    // A finished write leaves the list by itself; a failed one stays, so this throws its error.
    while (this.#writing.length >= WRITES_IN_FLIGHT) await Promise.race(this.#writing);
    this.issue();
  }

  /** Starts the write of the pending bytes at their position (the caller checked a slot is free). */
  issue(): void {
    if (this.#pendingBytes === 0) return;
    const buffers = this.#pending;
    const chunks = buffers.map((b, i) => (i === buffers.length - 1 ? b.subarray(0, this.#fill) : b));
    const bytes = this.#pendingBytes;
    const at = this.#issued;
    this.#pending = [];
    this.#fill = 0;
    this.#pendingBytes = 0;
    this.#issued += bytes;
    const writing = this.#writeAll(chunks, bytes, at);
    // A failure surfaces at the next flush or drain, which await it; not as an unhandled rejection.
    writing.then(
      () => {
        this.#writing.splice(this.#writing.indexOf(writing), 1);
        // Written: its buffers serve the next batches (as many as can be in use at once, no more).
        for (const b of buffers) if (this.#free.length <= WRITES_IN_FLIGHT) this.#free.push(b);
      },
      () => undefined,
    );
    this.#writing.push(writing);
  }

  /** Flushes and waits until every byte is written. */
  async drain(): Promise<void> {
    await this.flush();
    while (this.#writing.length > 0) await Promise.all(this.#writing);
  }

  /** Resolves once every write issued by now has finished; rejects if one failed. */
  issuedWritten(): Promise<unknown> {
    return Promise.all(this.#writing);
  }

  /** Waits for the writes in flight, failed or not. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.#writing);
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
