import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { StagedMedia } from '../inventory/target-staging.js';

/** What the staging area did in one run (stored in the run's summary; README "Object storage"). */
export interface StagingSummary {
  /** `target.stagingLimit`, bytes. */
  limit: number;
  /**
   * The most bytes staged at once, measured on disk: media files published and not yet deleted
   * after their upload, plus every `.part` under `.partial/`. Sampled when a file is published and
   * right before each local delete, the moments staging stops growing.
   */
  peakBytes: number;
  /** Files uploaded (or found in the bucket) and then deleted locally. */
  deleted: number;
  /** Files whose upload failed: they stay on disk, staged, and are uploaded by the next run. */
  failed: number;
  /** Times a download waited for uploads to free room. */
  waits: number;
  /** Downloads were stopped: the staged files could not be uploaded, so no room would come free. */
  full: boolean;
}

export interface StagingOptions {
  limit: number;
  outputDir: string;
  /** Reservation for a file whose size Feishu does not list: the largest stored so far (at least 1 MiB). */
  largestSeen: number;
  /** Uploads the file, checks it and deletes it locally; throws when it failed (after recording it). */
  upload: (file: StagedMedia) => Promise<void>;
  /** Uploads at once. @default 2 */
  concurrency?: number;
}

const MIN_UNKNOWN_RESERVE = 1024 * 1024;

/**
 * keepLocal false: the local folder is a staging area of at most `limit` bytes. Downloads and uploads
 * interleave: a download starts only when the bytes staged (files waiting for their upload, plus what
 * the downloads in flight reserved: their listed size, else the largest file seen) leave room for it;
 * each published file is uploaded at once, checked by HEAD and deleted, which frees its bytes and
 * wakes the waiting downloads. A file larger than the limit is downloaded alone. A setup error in an
 * upload (credentials revoked) stops the area: `admit` says no from then on and `drain` throws it.
 */
export class StagingArea {
  readonly #o: StagingOptions;
  readonly #queue: StagedMedia[] = [];
  #waitingBytes = 0;
  #failedBytes = 0;
  #reserved = 0;
  #inFlight = 0;
  #uploading = 0;
  #largest: number;
  #wakers: (() => void)[] = [];
  #idle: (() => void)[] = [];
  #error: unknown;
  readonly summary: StagingSummary;

  constructor(o: StagingOptions) {
    if (!Number.isSafeInteger(o.limit) || o.limit < 1) {
      throw new TypeError(`Expected \`limit\` to be a whole number of bytes >= 1, got ${o.limit}`);
    }
    this.#o = o;
    this.#largest = o.largestSeen;
    this.summary = { limit: o.limit, peakBytes: 0, deleted: 0, failed: 0, waits: 0, full: false };
  }

  /** Bytes the area counts now: waiting for upload, failed (still on disk) and reserved by downloads. */
  get staged(): number {
    return this.#waitingBytes + this.#failedBytes + this.#reserved;
  }

  /**
   * Waits until the file fits (or the area is empty), then reserves it. Resolves with the
   * reservation to give back through `finished`, or undefined when no room will come free (the
   * staged files failed to upload) or the run stops: the caller then starts no more downloads.
   */
  async admit(size: number | null, signal?: AbortSignal): Promise<number | undefined> {
    const need = size ?? Math.min(this.#o.limit, Math.max(this.#largest, MIN_UNKNOWN_RESERVE));
    let waited = false;
    for (;;) {
      if (signal?.aborted || this.#error !== undefined) return undefined;
      const empty = this.staged === 0 && this.#inFlight === 0;
      if (empty || this.staged + need <= this.#o.limit) {
        this.#reserved += need;
        this.#inFlight++;
        return need;
      }
      // Nothing in flight and nothing uploading: the staged bytes are files that failed to upload.
      if (this.#inFlight === 0 && this.#uploading === 0 && this.#queue.length === 0) {
        this.summary.full = true;
        // Other downloads waiting for room look again and find none either.
        this.#wake();
        return undefined;
      }
      if (!waited) this.summary.waits++;
      waited = true;
      await new Promise<void>((resolve) => {
        this.#wakers.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  /** A download admitted with `reservation` ended; `published` when its file is now on disk, done. */
  finished(reservation: number, published: StagedMedia | undefined): void {
    this.#reserved -= reservation;
    this.#inFlight--;
    if (published) this.add(published);
    else this.#wake();
  }

  /** A media file on disk, done, not yet in the bucket: uploaded, checked and deleted in turn. */
  add(file: StagedMedia): void {
    this.#waitingBytes += file.size;
    this.#largest = Math.max(this.#largest, file.size);
    this.#queue.push(file);
    this.#measure();
    this.#pump();
  }

  /** Resolves once every file added is uploaded (or failed); throws the setup error that stopped it. */
  async drain(): Promise<void> {
    while (this.#uploading > 0 || this.#queue.length > 0) {
      await new Promise<void>((resolve) => this.#idle.push(resolve));
    }
    this.#measure();
    if (this.#error !== undefined) throw this.#error;
  }

  #pump(): void {
    const max = this.#o.concurrency ?? 2;
    while (this.#uploading < max && this.#queue.length > 0 && this.#error === undefined) {
      const file = this.#queue.shift()!;
      this.#uploading++;
      void this.#uploadOne(file);
    }
    if (this.#error !== undefined) this.#queue.length = 0;
    if (this.#uploading === 0 && this.#queue.length === 0) this.#settle();
  }

  async #uploadOne(file: StagedMedia): Promise<void> {
    try {
      // The peak is taken right before the bytes leave the disk.
      this.#measure();
      await this.#o.upload(file);
      this.summary.deleted++;
      this.#waitingBytes -= file.size;
    } catch (e) {
      this.#waitingBytes -= file.size;
      if ((e as { name?: string }).name === 'TargetError') this.#error ??= e;
      else {
        this.summary.failed++;
        this.#failedBytes += file.size;
      }
    } finally {
      this.#uploading--;
      this.#wake();
      this.#pump();
    }
  }

  /** Staged bytes on disk now: files waiting for (or failed at) their upload, plus every `.part`. */
  // Synchronous, so no file moves from `.partial/` to `media/` between the two counts.
  #measure(): void {
    const partial = path.join(this.#o.outputDir, '.partial');
    let parts = 0;
    let names: string[] = [];
    try {
      names = readdirSync(partial);
    } catch {
      // No .partial yet: no part.
    }
    for (const name of names) {
      if (!name.endsWith('.part')) continue;
      try {
        parts += statSync(path.join(partial, name)).size;
      } catch {
        // Published or dropped meanwhile.
      }
    }
    this.summary.peakBytes = Math.max(this.summary.peakBytes, this.#waitingBytes + this.#failedBytes + parts);
  }

  #wake(): void {
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const w of wakers) w();
  }

  #settle(): void {
    const idle = this.#idle;
    this.#idle = [];
    for (const i of idle) i();
  }
}
