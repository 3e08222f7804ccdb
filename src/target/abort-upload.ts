import { AbortMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Target } from '../config/types.js';
import type { Logger } from '../events.js';
import { isNoSuchUpload } from './list-parts.js';

/**
 * Asks the server to drop an upload and its parts. Failure is logged, not thrown: s3rver does not
 * implement it, and a bucket lifecycle rule (AbortIncompleteMultipartUpload) frees such parts anyway.
 */
export async function abortQuietly(
  o: { client: S3Client; target: Target; key: string; log?: Logger | undefined },
  uploadId: string,
): Promise<void> {
  try {
    await o.client.send(
      new AbortMultipartUploadCommand({ Bucket: o.target.bucket, Key: o.key, UploadId: uploadId }),
    );
  } catch (e) {
    if (isNoSuchUpload(e)) return;
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    o.log?.({
      level: 'warn',
      event: 'upload.abort_failed',
      message: `The multipart upload left for ${o.key} could not be aborted (${err.name ?? 'error'}${err.$metadata?.httpStatusCode ? `, HTTP ${err.$metadata.httpStatusCode}` : ''}); its parts stay in the bucket until a lifecycle rule (AbortIncompleteMultipartUpload) removes them.`,
      key: o.key,
    });
  }
}
