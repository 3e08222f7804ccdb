import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { forgetUpload, recordedUpload } from '../inventory/target-uploads.js';
import { abortQuietly } from './abort-upload.js';
import { uploadMultipart } from './multipart.js';
import { PART_SIZE } from './part-buffers.js';
import {
  ChecksumMismatchError,
  hashMismatch,
  objectParams,
  REFETCH,
  SHA256_META,
  type UploadFileOptions,
} from './upload-params.js';

export { ChecksumMismatchError, SHA256_META, type UploadFileOptions };

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

/**
 * Uploads one local file with its SHA-256 as object metadata, then HEADs the object and accepts it
 * only when the metadata and length match. Up to one part (8 MiB): read into memory, hashed, and
 * sent by one PutObject with Content-MD5, so the bytes checked are the bytes sent. Larger: the
 * resumable multipart upload (multipart.ts), which hashes as it reads and completes only when the
 * whole file matched. Either way a copy damaged on disk never appears in the bucket.
 * (`@aws-sdk/lib-storage` is not used: it cannot continue another process's upload, and for one
 * part it adds nothing to PutObject. The benchmark measures against it.)
 */
export async function uploadFile(o: UploadFileOptions): Promise<{ partsSent: number; partsReused: number }> {
  const { size } = await stat(o.file);
  if (size !== o.size) {
    throw new ChecksumMismatchError(
      `the local copy has ${size} bytes, not the ${o.size} recorded when it was downloaded; not uploaded (${REFETCH})`,
    );
  }
  let result = { partsSent: 1, partsReused: 0 };
  if (o.size > PART_SIZE) {
    result = await uploadMultipart(o);
  } else {
    const stale = recordedUpload(o.db, o.target.bucket, o.key);
    if (stale) {
      await abortQuietly(o, stale.uploadId);
      forgetUpload(o.db, o.target.bucket, o.key);
    }
    const bytes = await readFile(o.file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== o.sha256) {
      throw hashMismatch(sha256, o.sha256);
    }
    await o.client.send(
      new PutObjectCommand({
        Bucket: o.target.bucket,
        Key: o.key,
        Body: bytes,
        ContentLength: bytes.length,
        ContentMD5: createHash('md5').update(bytes).digest('base64'),
        ...objectParams(o.target, o.sha256),
      }),
      o.signal ? { abortSignal: o.signal } : {},
    );
  }
  if (!(await objectMatches(o.client, o.target.bucket, o.key, o.sha256, o.size))) {
    throw new ChecksumMismatchError(
      `after the upload the bucket's HEAD does not show SHA-256 ${o.sha256.slice(0, 12)}… and ${o.size} bytes; uploaded again next run`,
    );
  }
  return result;
}
