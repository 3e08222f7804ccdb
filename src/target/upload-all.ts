import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Target } from '../config/types.js';
import type { Logger } from '../events.js';
import type { Db } from '../inventory/open.js';
import {
  INVENTORY_KEY,
  markUploaded,
  markUploadFailed,
  markUploading,
  uploadCandidates,
} from '../inventory/target-objects.js';
import { recordedUpload } from '../inventory/target-uploads.js';
import { classifyTargetError } from './errors.js';
import { objectMatches, sha256OfFile, uploadFile } from './upload-object.js';
import { CORRUPT_IN_BUCKET } from './verify-objects.js';

export interface UploadFailure {
  key: string;
  code: string;
  message: string;
}

export interface UploadSummary {
  /** Files uploaded and verified by HEAD in this run. */
  uploaded: number;
  /** Files found in the bucket already with the right SHA-256 (an earlier run crashed before recording them). */
  alreadyThere: number;
  failed: number;
  bytes: number;
  failures: UploadFailure[];
  /** The inventory copy was uploaded and verified. */
  inventoryUploaded: boolean;
}

export interface UploadAllOptions {
  client: S3Client;
  db: Db;
  target: Target;
  outputDir: string;
  runId: number;
  signal?: AbortSignal;
  log?: Logger;
  /** Files uploaded at once (each multipart upload has its own 4 parts in flight). @default 2 */
  concurrency?: number;
  /** After each file: files and bytes done of the total. */
  onProgress?: (p: {
    filesDone: number;
    filesTotal: number;
    bytesDone: number;
    bytesTotal: number;
    failed: number;
  }) => void;
}

/**
 * The upload phase, run after the downloads: every media file complete on disk, and every document
 * snapshot, not yet in the bucket with its SHA-256 is uploaded under `prefix + its local path` (the bucket mirrors the local
 * layout) and verified by HEAD; then a consistent copy of the inventory (`db.backup()`) goes to
 * `prefix + inventory.sqlite`. A setup problem (credentials revoked mid-run) stops the phase with a
 * TargetError; any other failure is recorded on the file's row and retried next run.
 */
export async function uploadAll(o: UploadAllOptions): Promise<UploadSummary> {
  const { client, db, target } = o;
  const summary: UploadSummary = {
    uploaded: 0,
    alreadyThere: 0,
    failed: 0,
    bytes: 0,
    failures: [],
    inventoryUploaded: false,
  };
  const queue = uploadCandidates(db, target.bucket, target.prefix);
  const total = { files: queue.length, bytes: queue.reduce((n, c) => n + c.size, 0) };
  let filesDone = 0;
  let bytesDone = 0;
  const progress = (c: { size: number }): void => {
    filesDone++;
    bytesDone += c.size;
    o.onProgress?.({
      filesDone,
      filesTotal: total.files,
      bytesDone,
      bytesTotal: total.bytes,
      failed: summary.failed,
    });
  };
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c && !o.signal?.aborted; c = queue.shift()) {
      const key = target.prefix + c.path;
      try {
        // A HEAD is not trusted for an object whose bytes `verify --deep` found corrupt.
        if (
          c.errorCode !== CORRUPT_IN_BUCKET &&
          (await objectMatches(client, target.bucket, key, c.sha256, c.size))
        ) {
          markUploaded(db, target.bucket, key, c.sha256, c.size);
          summary.alreadyThere++;
          progress(c);
          continue;
        }
        // The recorded upload id is kept: a multipart upload an earlier run left is continued.
        markUploading(db, target.bucket, key, c.mediaId, o.runId, c.uploadId);
        await uploadFile({
          client,
          db,
          target,
          key,
          file: path.join(o.outputDir, ...c.path.split('/')),
          sha256: c.sha256,
          size: c.size,
          ...(o.signal ? { signal: o.signal } : {}),
          ...(o.log ? { log: o.log } : {}),
        });
        markUploaded(db, target.bucket, key, c.sha256, c.size);
        o.log?.({ level: 'debug', event: 'upload.file', message: `Uploaded ${key}.`, key, bytes: c.size });
        summary.uploaded++;
        summary.bytes += c.size;
        progress(c);
      } catch (e) {
        if (o.signal?.aborted) return;
        const setup = classifyTargetError(e, target);
        if (setup) throw setup;
        const err = e as { code?: string; name?: string; message?: string };
        const code = err.code === 'ENOENT' ? 'local_missing' : (err.code ?? err.name ?? 'error');
        const message =
          code === 'local_missing'
            ? 'the local copy is missing; run `feishu-backup verify` to queue it for download again'
            : (err.message ?? String(e));
        markUploadFailed(db, target.bucket, key, code, message);
        summary.failed++;
        summary.failures.push({ key, code, message });
        progress(c);
        o.log?.({
          level: 'warn',
          event: 'upload.failed',
          message: `Upload of ${key} failed: ${message}`,
          key,
          code,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 2 }, worker));
  if (!o.signal?.aborted) summary.inventoryUploaded = await uploadInventory(o);
  return summary;
}

/**
 * A consistent copy of the inventory (SQLite's online backup, safe while the db is open) uploaded
 * last, so the bucket alone holds a complete backup: the files and the inventory that describes them.
 */
async function uploadInventory(o: UploadAllOptions): Promise<boolean> {
  const { client, db, target } = o;
  const key = target.prefix + INVENTORY_KEY;
  const copy = path.join(o.outputDir, '.partial', `inventory-upload-${o.runId}.sqlite`);
  try {
    mkdirSync(path.dirname(copy), { recursive: true });
    rmSync(copy, { force: true });
    await db.backup(copy);
    const sha256 = await sha256OfFile(copy);
    const { size } = statSync(copy);
    markUploading(db, target.bucket, key, null, o.runId, recordedUpload(db, target.bucket, key)?.uploadId);
    await uploadFile({ client, db, target, key, file: copy, sha256, size, ...(o.log ? { log: o.log } : {}) });
    markUploaded(db, target.bucket, key, sha256, size);
    return true;
  } catch (e) {
    const setup = classifyTargetError(e, target);
    if (setup) throw setup;
    const message = (e as Error).message ?? String(e);
    markUploadFailed(db, target.bucket, key, 'inventory_upload', message);
    o.log?.({
      level: 'warn',
      event: 'upload.inventory.failed',
      message: `The inventory copy was not uploaded: ${message}. The next run uploads it again.`,
    });
    return false;
  } finally {
    rmSync(copy, { force: true });
  }
}
