import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Target } from '../config/types.js';

/** The object metadata key holding the file's SHA-256 (hex): `x-amz-meta-sha256`. */
export const SHA256_META = 'sha256';

/** Parts of 8 MiB, 4 in flight: at most ~32 MiB of a file in memory, whatever its size. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 4;

/** The local bytes do not hash to what the inventory recorded, or the bucket holds other bytes. */
export class ChecksumMismatchError extends Error {
  override readonly name = 'ChecksumMismatchError';
  readonly code = 'checksum_mismatch';
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** True when the bucket already holds this key with the SHA-256 and length we expect. */
export async function objectMatches(
  client: S3Client,
  bucket: string,
  key: string,
  sha256: string,
  size: number,
): Promise<boolean> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.Metadata?.[SHA256_META] === sha256 && head.ContentLength === size;
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw e;
  }
}

export interface UploadFileOptions {
  client: S3Client;
  target: Target;
  key: string;
  file: string;
  sha256: string;
  size: number;
  /** Called once the multipart upload has an id, so the inventory can record it. */
  onUploadId?: (uploadId: string) => void;
  signal?: AbortSignal;
}

/**
 * Uploads one local file (lib-storage `Upload`: one PUT for small files, multipart for large) with
 * its SHA-256 as object metadata, hashing the bytes as they go out; then HEADs the object and
 * accepts it only when the metadata and length match. The file is hashed once before upload too,
 * so a file damaged on disk is never stored under the SHA-256 of the good one.
 */
export async function uploadFile(o: UploadFileOptions): Promise<void> {
  const before = await sha256OfFile(o.file);
  if (before !== o.sha256) {
    throw new ChecksumMismatchError(
      `the local copy hashes to ${before.slice(0, 12)}…, not the ${o.sha256.slice(0, 12)}… recorded when it was downloaded; not uploaded (run \`feishu-backup verify\`)`,
    );
  }
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const body = createReadStream(o.file).pipe(hashing);
  const params: PutObjectCommandInput = {
    Bucket: o.target.bucket,
    Key: o.key,
    Body: body,
    Metadata: { [SHA256_META]: o.sha256 },
  };
  if (o.target.storageClass)
    params.StorageClass = o.target.storageClass as PutObjectCommandInput['StorageClass'];
  if (o.target.objectLockDays) {
    // COMPLIANCE: no one, not even the account root, can delete or shorten it before the date.
    params.ObjectLockMode = 'COMPLIANCE';
    params.ObjectLockRetainUntilDate = new Date(Date.now() + o.target.objectLockDays * 86_400_000);
  }
  const upload = new Upload({
    client: o.client,
    params,
    partSize: PART_SIZE,
    queueSize: QUEUE_SIZE,
    leavePartsOnError: false,
  });
  let reported = false;
  upload.on('httpUploadProgress', () => {
    if (!reported && upload.uploadId) {
      reported = true;
      o.onUploadId?.(upload.uploadId);
    }
  });
  const abort = (): void => void upload.abort();
  o.signal?.addEventListener('abort', abort, { once: true });
  try {
    await upload.done();
  } finally {
    o.signal?.removeEventListener('abort', abort);
  }
  const sent = hash.digest('hex');
  if (sent !== o.sha256) {
    // The file changed while it was read: the object claims a SHA-256 its bytes do not have.
    await o.client
      .send(new DeleteObjectCommand({ Bucket: o.target.bucket, Key: o.key }))
      .catch(() => undefined);
    throw new ChecksumMismatchError(
      `the file changed while it was uploaded (sent ${sent.slice(0, 12)}…); the object was deleted and is uploaded again next run`,
    );
  }
  if (!(await objectMatches(o.client, o.target.bucket, o.key, o.sha256, o.size))) {
    throw new ChecksumMismatchError(
      `after the upload the bucket's HEAD does not show SHA-256 ${o.sha256.slice(0, 12)}… and ${o.size} bytes; uploaded again next run`,
    );
  }
}

/**
 * An interrupted multipart upload an earlier run recorded: asks the server to abort it, freeing its
 * parts, before a fresh upload. Returns why that failed, if it did (the caller warns; a bucket
 * lifecycle rule with AbortIncompleteMultipartUpload frees such parts anyway).
 */
export async function abortStaleUpload(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<string | undefined> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    return undefined;
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    // 404 NoSuchUpload: it was completed or aborted already.
    if (err.$metadata?.httpStatusCode === 404) return undefined;
    return `${err.name ?? 'error'}${err.$metadata?.httpStatusCode ? ` (HTTP ${err.$metadata.httpStatusCode})` : ''}`;
  }
}
