import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * Media bytes, generated rather than stored: the AES-128-CTR keystream under a key derived from
 * (seed, token). CTR makes any byte range directly computable (start the counter at offset / 16), runs
 * at several GB/s with AES-NI, never repeats within a file (so no accidental dedup), and keeps a file
 * of several GiB out of memory.
 */

const CHUNK = 64 * 1024;

/**
 * What a media's bytes are generated from: its token, and for a drive file's later versions the token
 * and the version (`boxcn…@v2`), so a new version under the same token has new bytes. Pass it where a
 * function below asks for a token: `mediaBytes(seed, mediaContentKey(media), 0, media.size)`.
 */
export function mediaContentKey(media: { token: string; version?: number }): string {
  return (media.version ?? 1) > 1 ? `${media.token}@v${media.version}` : media.token;
}
const ZEROS = Buffer.alloc(CHUNK);

function keyFor(seed: number, token: string): Buffer {
  return createHash('sha256').update(`fake-feishu:${seed}:${token}`).digest().subarray(0, 16);
}

function cipherAt(seed: number, token: string, offset: number): ReturnType<typeof createCipheriv> {
  const iv = Buffer.alloc(16);
  // 16-byte blocks; offsets up to 2^53 fit in the low 8 bytes of the counter.
  iv.writeBigUInt64BE(BigInt(Math.floor(offset / 16)), 8);
  return createCipheriv('aes-128-ctr', keyFor(seed, token), iv);
}

/** Calls `onChunk` with the bytes [start, end) of the media, in chunks of at most 64 KiB. */
export function generateRange(
  seed: number,
  token: string,
  start: number,
  end: number,
  onChunk: (chunk: Buffer) => void,
): void {
  const cipher = cipherAt(seed, token, start);
  let skip = start % 16;
  let pos = start;
  while (pos < end) {
    const want = Math.min(CHUNK, end - pos + skip);
    let out = cipher.update(ZEROS.subarray(0, want));
    if (skip) {
      out = out.subarray(skip);
      skip = 0;
    }
    pos += out.length;
    onChunk(out);
  }
}

/** The whole range as one Buffer: for small media and tests only. */
export function mediaBytes(seed: number, token: string, start: number, end: number): Buffer {
  const parts: Buffer[] = [];
  generateRange(seed, token, start, end, (c) => parts.push(Buffer.from(c)));
  return Buffer.concat(parts);
}

/** A readable stream of the bytes [start, end), generated as the consumer reads (back-pressure). */
export function mediaStream(seed: number, token: string, start: number, end: number): Readable {
  const cipher = cipherAt(seed, token, start);
  let skip = start % 16;
  let pos = start;
  return new Readable({
    highWaterMark: CHUNK * 4,
    read() {
      if (pos >= end) {
        this.push(null);
        return;
      }
      const want = Math.min(CHUNK, end - pos + skip);
      let out = cipher.update(ZEROS.subarray(0, want));
      if (skip) {
        out = out.subarray(skip);
        skip = 0;
      }
      pos += out.length;
      this.push(out);
    },
  });
}

const shaCache = new Map<string, string>();

/** Hex SHA-256 of the whole media, computed by streaming the generator once and cached. */
export function mediaSha256(seed: number, token: string, size: number): string {
  const key = `${seed}:${token}:${size}`;
  let hex = shaCache.get(key);
  if (hex === undefined) {
    const hash = createHash('sha256');
    generateRange(seed, token, 0, size, (c) => hash.update(c));
    hex = hash.digest('hex');
    shaCache.set(key, hex);
  }
  return hex;
}
