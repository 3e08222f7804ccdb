import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Target } from '../config/types.js';
import { classifyTargetError } from './errors.js';

/**
 * An S3 client for the target. Credentials come from the SDK's default chain only (environment,
 * shared config/profile, instance role): the config file never holds them.
 */
export function makeS3Client(t: Target): S3Client {
  // The SDK prints a warning that releases from 2027 need Node >= 22 on every run under Node 20;
  // it is about the SDK's future, not this run, so it stays out of the user's output (README says so).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    region: t.region,
    forcePathStyle: t.forcePathStyle,
    ...(t.endpoint ? { endpoint: t.endpoint } : {}),
    // Integrity is checked by our own SHA-256 (metadata compared on HEAD). The SDK's default
    // CRC trailers (aws-chunked bodies) are not understood by every S3-compatible server.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Fails fast, before the crawl, when the bucket is missing or refuses the credentials. */
export async function checkBucket(client: S3Client, t: Target): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: t.bucket }));
  } catch (e) {
    throw classifyTargetError(e, t) ?? e;
  }
}
