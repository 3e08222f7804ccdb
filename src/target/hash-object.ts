import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SHA256_META } from './upload-params.js';

export interface ObjectHash {
  sha256: string;
  bytes: number;
  /** The SHA-256 the object's metadata claims, if any. */
  metaSha256: string | undefined;
}

/**
 * `verify --deep`: downloads the object (GetObject, streamed: memory stays flat whatever its size)
 * and hashes its bytes, so what is compared is what a restore would get, not what HEAD claims.
 * Throws the SDK's error as is (404 NoSuchKey for a missing object).
 */
export async function hashObject(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<ObjectHash> {
  const r = await client.send(
    new GetObjectCommand({ Bucket: bucket, Key: key }),
    signal ? { abortSignal: signal } : {},
  );
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of r.Body as Readable) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes, metaSha256: r.Metadata?.[SHA256_META] };
}
