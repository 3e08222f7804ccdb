import { createHash } from 'node:crypto';
import {
  closeSync,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zlib } from 'node:zlib';
import type { Checkpoint } from '../../inventory/checkpoints.js';
import type { SnapshotRecord } from '../../inventory/snapshots.js';
import { type SnapshotHeader, snapshotJson } from './assemble.js';
import { pageFileName, SNAPSHOT_FORMAT, snapshotRelativePath, stagingRelativeDir } from './paths.js';

interface StagedPage {
  next: Checkpoint | null;
  part: unknown;
}

/** Why a pass could not be published; the crawl logs it and takes the snapshot again next run. */
export class SnapshotIncompleteError extends Error {
  override readonly name = 'SnapshotIncompleteError';
  readonly code = 'SNAPSHOT_INCOMPLETE';
}

/**
 * One document's snapshot while the crawl reads it. Each page is staged (written and fsynced) before
 * the crawl commits the page's checkpoint, so a checkpoint never points past a page that is not on
 * disk; a resumed pass extends the same chain. `publish` assembles the chain into the final gzip file
 * (temp, fsync, rename): a reader sees the whole snapshot or none.
 */
export class DocumentSnapshot {
  readonly #stagingDir: string;

  constructor(
    readonly outputDir: string,
    readonly documentId: number,
    readonly header: Omit<SnapshotHeader, 'format' | 'revision'> & { revision?: string | undefined },
  ) {
    this.#stagingDir = join(
      outputDir,
      stagingRelativeDir(header.type, header.token, header.revision ?? 'unversioned'),
    );
  }

  /** A new pass: pages staged by an earlier pass (any revision) of this document are dropped. */
  reset(): void {
    rmSync(join(this.outputDir, stagingRelativeDir(this.header.type, this.header.token)), {
      recursive: true,
      force: true,
    });
  }

  /** Synchronous and durable, so it can run just before the page's transaction. */
  stage(from: Checkpoint | undefined, part: unknown, next: Checkpoint | undefined): void {
    mkdirSync(this.#stagingDir, { recursive: true });
    const page: StagedPage = { next: next ? { phase: next.phase, pageToken: next.pageToken } : null, part };
    writeDurably(join(this.#stagingDir, pageFileName(from)), JSON.stringify(page));
  }

  /** Writes the snapshot file from the staged chain; throws SnapshotIncompleteError if a page is missing. */
  async publish(): Promise<Omit<SnapshotRecord, 'documentId'>> {
    // Re-read from disk on each pass: a large document is never held whole in memory.
    const pages: Iterable<unknown> = { [Symbol.iterator]: () => this.#chain() };
    let revision = this.header.revision;
    let contentHash: string | undefined;
    if (revision === undefined) {
      // No revision to key it by: the content is the key, so unchanged content is not stored twice.
      const hash = createHash('sha256');
      for (const chunk of this.#json('', pages)) hash.update(chunk);
      contentHash = hash.digest('hex');
      revision = `sha256:${contentHash.slice(0, 16)}`;
    }
    const path = snapshotRelativePath(this.header.type, this.header.token, revision);
    const target = join(this.outputDir, path);
    const temp = `${target}.tmp-${process.pid}`;
    mkdirSync(dirname(target), { recursive: true });
    const fileHash = createHash('sha256');
    let bytes = 0;
    let contentBytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        fileHash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const text = Readable.from(
      (function* (chunks: Iterable<string>) {
        for (const chunk of chunks) {
          contentBytes += Buffer.byteLength(chunk);
          yield chunk;
        }
      })(this.#json(revision, pages)),
    );
    // gzip, not brotli: every platform and language reads it (`zcat`, `gunzip -c`), which matters for
    // an archive meant to outlive the tool; see BENCHMARKS.md for what brotli would save.
    try {
      await pipeline(text, createGzip({ level: zlib.Z_BEST_COMPRESSION }), tap, createWriteStream(temp));
    } catch (e) {
      rmSync(temp, { force: true });
      throw e;
    }
    syncFile(temp);
    renameSync(temp, target);
    syncDir(dirname(target));
    return { revision, kind: this.header.type, path, bytes, contentBytes, sha256: fileHash.digest('hex') };
  }

  /**
   * sha256 of the uncompressed snapshot this pass would publish under `revision`: equal to a
   * published snapshot's (gunzipped) when the content and title are the same. Throws
   * SnapshotIncompleteError when a staged page is missing.
   */
  contentSha256(revision: string): string {
    const pages: Iterable<unknown> = { [Symbol.iterator]: () => this.#chain() };
    const hash = createHash('sha256');
    for (const chunk of this.#json(revision, pages)) hash.update(chunk);
    return hash.digest('hex');
  }

  /** After the snapshot row is committed: the staged pages are no longer needed. */
  discard(): void {
    this.reset();
  }

  *#json(revision: string, pages: Iterable<unknown>): Generator<string> {
    const header: SnapshotHeader = { format: SNAPSHOT_FORMAT, ...this.header, revision };
    if (header.title === undefined) delete header.title;
    yield* snapshotJson(header, pages);
  }

  *#chain(): Generator<unknown> {
    const seen = new Set<string>();
    let position: Checkpoint | undefined;
    for (;;) {
      const name = pageFileName(position);
      if (seen.has(name)) throw new SnapshotIncompleteError(`staged pages loop at ${name}`);
      seen.add(name);
      let page: StagedPage;
      try {
        page = JSON.parse(readFileSync(join(this.#stagingDir, name), 'utf8')) as StagedPage;
      } catch (e) {
        throw new SnapshotIncompleteError(
          `a staged page is missing or unreadable (${name}): the pass began before snapshots were staged`,
          { cause: e },
        );
      }
      yield page.part;
      if (!page.next) return;
      position = page.next;
    }
  }
}

function writeDurably(file: string, text: string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The rename itself survives a power cut only once the directory is synced; not all platforms allow it. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot open a directory; its rename is already durable enough for NTFS.
  }
}
