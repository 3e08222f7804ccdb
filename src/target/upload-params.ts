import type { CreateMultipartUploadCommandInput, S3Client } from '@aws-sdk/client-s3';
import type { Target } from '../config/types.js';
import type { Logger } from '../events.js';
import type { Db } from '../inventory/open.js';

/** One local file to put in the bucket, by a single PUT or by the resumable multipart upload. */
export interface UploadFileOptions {
  client: S3Client;
  /** Where the multipart upload in flight and its parts are recorded (target_objects row must exist). */
  db: Db;
  target: Target;
  key: string;
  file: string;
  sha256: string;
  size: number;
  signal?: AbortSignal;
  log?: Logger;
}

/** What a user does about a local copy that is not what was downloaded. */
export const REFETCH =
  'run `feishu-backup verify --repair`, then `feishu-backup download`, to fetch it again';

/** The local copy read for the upload does not hash to the SHA-256 recorded at download. */
export function hashMismatch(got: string, expected: string): ChecksumMismatchError {
  return new ChecksumMismatchError(
    `the local copy hashes to ${got.slice(0, 12)}…, not the ${expected.slice(0, 12)}… recorded when it was downloaded; not uploaded (${REFETCH})`,
  );
}

/** The object metadata key holding the file's SHA-256 (hex): `x-amz-meta-sha256`. */
export const SHA256_META = 'sha256';

/** The local bytes do not hash to what the inventory recorded, or the bucket holds other bytes. */
export class ChecksumMismatchError extends Error {
  override readonly name = 'ChecksumMismatchError';
  readonly code = 'checksum_mismatch';
}

type ObjectParams = Pick<
  CreateMultipartUploadCommandInput,
  'Metadata' | 'StorageClass' | 'ObjectLockMode' | 'ObjectLockRetainUntilDate'
>;

/** What every object is written with, by a single PUT or at CreateMultipartUpload. */
export function objectParams(t: Target, sha256: string): ObjectParams {
  const params: ObjectParams = { Metadata: { [SHA256_META]: sha256 } };
  if (t.storageClass) params.StorageClass = t.storageClass as ObjectParams['StorageClass'];
  if (t.objectLockDays) {
    // COMPLIANCE: no one, not even the account root, can delete or shorten it before the date.
    params.ObjectLockMode = 'COMPLIANCE';
    params.ObjectLockRetainUntilDate = new Date(Date.now() + t.objectLockDays * 86_400_000);
  }
  return params;
}
