import type { CreateMultipartUploadCommandInput } from '@aws-sdk/client-s3';
import type { Target } from '../config/types.js';

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
