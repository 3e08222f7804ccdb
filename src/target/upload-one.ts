import { rm } from 'node:fs/promises';
import path from 'node:path';
import { CopyObjectCommand, type CopyObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import type { Target } from '../config/types.js';
import { versionLabel } from '../download/keep-version.js';
import type { Logger } from '../events.js';
import type { Db } from '../inventory/open.js';
import { markUploaded, markUploading } from '../inventory/target-objects.js';
import {
  detachObject,
  earlierObjects,
  mediaVersionFields,
  objectDone,
  setVersionLabel,
} from '../inventory/target-staging.js';
import { VERSIONS_FOLDER } from '../naming/media-path.js';
import { objectMatches, uploadFile } from './upload-object.js';
import { CORRUPT_IN_BUCKET } from './verify-objects.js';

/** One object to put in the bucket under `prefix + path`. */
export interface UploadItem {
  /** The media row it is the current copy of; null for snapshots, the view, versions/, manifests. */
  mediaId: number | null;
  /** Relative to outputDir and to the prefix, `/`-separated: the bucket mirrors the local layout. */
  path: string;
  /** The local file, when it is not `outputDir/path` (a manifest written to .partial/). */
  file?: string;
  sha256: string;
  size: number;
  /** The multipart upload an interrupted run left for this key, if any. */
  uploadId: string | null;
  /** keepLocal false: remove the local file once its object is checked. */
  deleteAfter?: boolean;
  /** Why the last upload (or check) of this key failed, if it did. */
  errorCode?: string | null;
}

export interface UploadContext {
  client: S3Client;
  db: Db;
  target: Target;
  outputDir: string;
  runId: number;
  signal?: AbortSignal;
  log?: Logger;
}

/**
 * Puts one file in the bucket and records it (README "Object storage"): an interrupted multipart
 * upload of the key is aborted first; an object already there with the SHA-256 and length is only
 * recorded; else the file is uploaded and checked by HEAD. With `deleteAfter` the local copy is
 * removed only after the row says `done`: a crash in between leaves a copy the next run removes.
 * Returns whether bytes were sent. Throws what the upload threw; the caller records it.
 */
export async function uploadOne(ctx: UploadContext, item: UploadItem): Promise<'uploaded' | 'already'> {
  const { client, db, target } = ctx;
  const key = target.prefix + item.path;
  let outcome: 'uploaded' | 'already' = 'already';
  // A HEAD is not trusted for an object whose bytes `verify --deep` found corrupt.
  if (
    item.errorCode !== CORRUPT_IN_BUCKET &&
    (await objectMatches(client, target.bucket, key, item.sha256, item.size))
  ) {
    markUploaded(db, target.bucket, key, item.sha256, item.size);
  } else {
    // keepLocal false: the earlier version is not on disk to be kept under versions/ locally, so the
    // bucket keeps it before it is overwritten (with keepLocal the local versions/ copy is uploaded).
    if (item.mediaId !== null && !target.keepLocal) await keepEarlierObjects(ctx, item);
    await send(ctx, item, key);
    markUploaded(db, target.bucket, key, item.sha256, item.size);
    outcome = 'uploaded';
  }
  if (item.mediaId !== null) {
    const row = mediaVersionFields(db, item.mediaId);
    if (row) setVersionLabel(db, target.bucket, key, versionLabel(row));
  }
  if (item.deleteAfter) await rm(path.join(ctx.outputDir, ...item.path.split('/')), { force: true });
  return outcome;
}

/** Sends the file (upload-object.ts): a multipart upload an earlier run left for the key is continued. */
async function send(ctx: UploadContext, item: UploadItem, key: string): Promise<void> {
  const { db, target } = ctx;
  markUploading(db, target.bucket, key, item.mediaId, ctx.runId, item.uploadId);
  await uploadFile({
    client: ctx.client,
    db,
    target,
    key,
    file: item.file ?? path.join(ctx.outputDir, ...item.path.split('/')),
    sha256: item.sha256,
    size: item.size,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.log ? { log: ctx.log } : {}),
  });
}

/**
 * Copies (server-side, no bytes through us) each object holding an earlier version of the media
 * file to `<token folder>/versions/<when>/<its name>`, as the local layout keeps it, checked by
 * HEAD; then the earlier object no longer counts as the media row's copy.
 */
async function keepEarlierObjects(ctx: UploadContext, item: UploadItem): Promise<void> {
  const { client, db, target } = ctx;
  const newKey = target.prefix + item.path;
  for (const old of earlierObjects(db, target.bucket, item.mediaId!, item.sha256)) {
    if (!old.key.startsWith(target.prefix)) continue;
    const rel = old.key.slice(target.prefix.length);
    const folder = path.posix.dirname(rel);
    // Only an object in this token's folder is the earlier copy (as keepEarlierCopy decides locally).
    if (folder !== path.posix.dirname(item.path)) continue;
    const label = old.versionLabel ?? `${stamp(old.uploadedAt)}-uploaded`;
    const keptKey = `${target.prefix}${folder}/${VERSIONS_FOLDER}/${label}/${path.posix.basename(rel)}`;
    if (!objectDone(db, target.bucket, keptKey, old.sha256)) {
      const input: CopyObjectCommandInput = {
        Bucket: target.bucket,
        Key: keptKey,
        CopySource: `${target.bucket}/${old.key.split('/').map(encodeURIComponent).join('/')}`,
      };
      if (target.storageClass)
        input.StorageClass = target.storageClass as CopyObjectCommandInput['StorageClass'];
      if (target.objectLockDays) {
        input.ObjectLockMode = 'COMPLIANCE';
        input.ObjectLockRetainUntilDate = new Date(Date.now() + target.objectLockDays * 86_400_000);
      }
      markUploading(db, target.bucket, keptKey, null, ctx.runId);
      await client.send(new CopyObjectCommand(input));
      if (!(await objectMatches(client, target.bucket, keptKey, old.sha256, old.size))) {
        throw new Error(
          `the copy of the earlier version at ${keptKey} does not show its SHA-256 on HEAD; not replaced, tried again next run`,
        );
      }
      markUploaded(db, target.bucket, keptKey, old.sha256, old.size);
      ctx.log?.({
        level: 'info',
        event: 'upload.version.kept',
        message: `${old.key}: a new version replaces it, kept in the bucket as ${keptKey}`,
        key: keptKey,
      });
    }
    if (old.key !== newKey) detachObject(db, target.bucket, old.key);
  }
}

function stamp(iso: string | null): string {
  const d = iso ? new Date(iso) : new Date();
  return (Number.isNaN(d.getTime()) ? new Date() : d)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}
