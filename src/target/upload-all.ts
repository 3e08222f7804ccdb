import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  INVENTORY_KEY,
  markUploaded,
  markUploadFailed,
  markUploading,
  uploadCandidates,
} from '../inventory/target-objects.js';
import { objectDone } from '../inventory/target-staging.js';
import { recordedUpload } from '../inventory/target-uploads.js';
import { classifyTargetError } from './errors.js';
import { buildManifests } from './manifests.js';
import { mirrorItems } from './mirror-files.js';
import type { StagingSummary } from './staging.js';
import { sha256OfFile, uploadFile } from './upload-object.js';
import type { UploadContext, UploadItem } from './upload-one.js';
import { runQueue } from './upload-queue.js';

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
  /** Per-document manifests (by-document/<type>/<token>.json) uploaded because they changed. */
  manifestsUploaded: number;
  /** keepLocal false: the staging area's figures for the run. */
  staging?: StagingSummary;
}

/** A summary with nothing done yet. */
export function emptyUploadSummary(): UploadSummary {
  return {
    uploaded: 0,
    alreadyThere: 0,
    failed: 0,
    bytes: 0,
    failures: [],
    inventoryUploaded: false,
    manifestsUploaded: 0,
  };
}

export interface UploadAllOptions extends UploadContext {
  /** Carried on from the uploads during the downloads (keepLocal false). */
  summary?: UploadSummary;
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
 * The upload phase, run after the downloads: every media file complete on disk, every document
 * snapshot, the view and the kept earlier versions (versions/), not yet in the bucket with their
 * SHA-256, are uploaded under `prefix + their local path` (the bucket mirrors the local layout) and
 * verified by HEAD; then the per-document manifests that changed (by-document/<type>/<token>.json,
 * standing for the local hard links), and last a consistent copy of the inventory (`db.backup()`)
 * at `prefix + inventory.sqlite`. A setup problem (credentials revoked mid-run) stops the phase with a
 * TargetError; any other failure is recorded on the file's row and retried next run.
 */
export async function uploadAll(o: UploadAllOptions): Promise<UploadSummary> {
  const { db, target } = o;
  const summary = o.summary ?? emptyUploadSummary();
  // A file that failed in this run already (while staged) is tried again by the next run.
  const failedNow = new Set(summary.failures.map((f) => f.key));
  const ctx: UploadContext = o;
  // keepLocal false: a media file left on disk (a run stopped before its upload) goes once uploaded.
  const queue: UploadItem[] = [
    ...uploadCandidates(db, target.bucket, target.prefix)
      .filter((c) => !failedNow.has(target.prefix + c.path))
      .map((c) => ({ ...c, deleteAfter: !target.keepLocal && c.mediaId !== null })),
    ...(await mirrorItems(db, target, o.outputDir)),
  ];
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
  await runQueue(o, ctx, queue, summary, progress);
  // After the files: a manifest names an object only once it is checked in the bucket.
  if (!o.signal?.aborted) summary.manifestsUploaded = await uploadManifests(o, ctx, summary);
  if (!o.signal?.aborted) summary.inventoryUploaded = await uploadInventory(o);
  return summary;
}

const MANIFEST_CONCURRENCY = 8;

/** The per-document manifests whose JSON changed since their object was uploaded (manifests.ts). */
async function uploadManifests(
  o: UploadAllOptions,
  ctx: UploadContext,
  summary: UploadSummary,
): Promise<number> {
  const { db, target } = o;
  const partial = path.join(o.outputDir, '.partial');
  const dir = path.join(partial, `manifests-${o.runId}`);
  // A killed run's manifests are built again from the inventory: its folder is not worth keeping.
  for (const old of existsSync(partial) ? readdirSync(partial) : []) {
    if (old.startsWith('manifests-')) rmSync(path.join(partial, old), { recursive: true, force: true });
  }
  try {
    const queue: UploadItem[] = [];
    for (const m of buildManifests(db, target.bucket, target.prefix)) {
      if (objectDone(db, target.bucket, target.prefix + m.path, m.sha256)) continue;
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${queue.length}.json`);
      writeFileSync(file, m.body);
      queue.push({
        mediaId: null,
        path: m.path,
        file,
        sha256: m.sha256,
        size: m.body.length,
        uploadId: null,
      });
    }
    const before = summary.uploaded + summary.alreadyThere;
    // Objects of a few hundred bytes: the time goes in round trips, so more are in flight at once.
    await runQueue(
      { ...o, concurrency: Math.max(o.concurrency ?? 2, MANIFEST_CONCURRENCY) },
      ctx,
      queue,
      summary,
    );
    return summary.uploaded + summary.alreadyThere - before;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
