/** Parts of 8 MiB, 4 in flight: at most ~32 MiB of parts in memory, whatever the sizes (see poolFor). */
export const PART_SIZE = 8 * 1024 * 1024;
export const PARTS_IN_FLIGHT = 4;

/** S3 allows at most 10,000 parts per upload (and at least 5 MiB per part but the last). */
const MAX_PARTS = 10_000;
const MiB = 1024 * 1024;

/**
 * The part size for a file: 8 MiB, or the next whole MiB that keeps the file within 10,000 parts
 * (files over ~78 GiB). Fixed per upload: it is recorded with the upload id, so a resumed upload
 * cuts the file where the interrupted one did.
 */
export function partSizeFor(size: number): number {
  return Math.max(PART_SIZE, Math.ceil(size / MAX_PARTS / MiB) * MiB);
}

/**
 * A fixed set of part-sized buffers, reused: the reader takes one (waiting while all are out with
 * parts in flight) and the sender gives it back once the server answered. Memory stays at
 * `count × size` however large the file, and no buffer is reused while a request may still read it.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  private readonly waiting: ((b: Buffer) => void)[] = [];

  constructor(count: number, size: number) {
    if (!Number.isInteger(count) || count < 1) throw new TypeError(`Expected \`count\` >= 1, got ${count}`);
    for (let i = 0; i < count; i++) this.free.push(Buffer.allocUnsafe(size));
  }

  take(): Promise<Buffer> {
    const b = this.free.pop();
    return b ? Promise.resolve(b) : new Promise((resolve) => this.waiting.push(resolve));
  }

  give(b: Buffer): void {
    const next = this.waiting.shift();
    if (next) next(b);
    else this.free.push(b);
  }
}

let shared: BufferPool | undefined;

/**
 * The buffers for a file's parts: for 8 MiB parts, one pool for the whole process, so however many
 * files upload at once at most PARTS_IN_FLIGHT parts (32 MiB) are in memory; a file with larger parts
 * (over ~78 GiB) gets its own. Every buffer taken must be given back, on every path.
 */
export function poolFor(partSize: number): BufferPool {
  if (partSize !== PART_SIZE) return new BufferPool(PARTS_IN_FLIGHT, partSize);
  shared ??= new BufferPool(PARTS_IN_FLIGHT, PART_SIZE);
  return shared;
}
