import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Target } from '../config/types.js';
import type { Db } from '../inventory/open.js';
import { markUploadFailed } from '../inventory/target-objects.js';
import { classifyTargetError } from './errors.js';
import { SHA256_META } from './upload-object.js';

export interface ObjectFinding {
  key: string;
  problem: 'missing' | 'differs';
  detail: string;
}

export interface ObjectCheck {
  checked: number;
  ok: number;
  findings: ObjectFinding[];
}

/**
 * `verify` for the bucket: a HEAD per object the inventory records as uploaded, comparing the
 * SHA-256 metadata and the length. An object missing or different is marked `error`, so the next
 * backup or download uploads it again. (`--deep`, re-downloading and re-hashing, is not built.)
 */
export async function verifyObjects(o: {
  client: S3Client;
  db: Db;
  target: Target;
  signal?: AbortSignal;
}): Promise<ObjectCheck> {
  const { client, db, target } = o;
  const rows = db
    .prepare(
      `SELECT object_key AS key, sha256, size FROM target_objects
        WHERE bucket = ? AND substr(object_key, 1, ?) = ? AND status = 'done' ORDER BY object_key`,
    )
    .all(target.bucket, target.prefix.length, target.prefix) as {
    key: string;
    sha256: string;
    size: number;
  }[];
  const result: ObjectCheck = { checked: 0, ok: 0, findings: [] };
  const found = (f: ObjectFinding): void => {
    result.findings.push(f);
    markUploadFailed(
      db,
      target.bucket,
      f.key,
      f.problem === 'missing' ? 'missing_in_bucket' : 'checksum_mismatch',
      f.detail,
    );
  };
  const worker = async (): Promise<void> => {
    for (let r = rows.shift(); r && !o.signal?.aborted; r = rows.shift()) {
      result.checked++;
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: r.key }));
        const sha = head.Metadata?.[SHA256_META];
        if (sha === r.sha256 && head.ContentLength === r.size) result.ok++;
        else
          found({
            key: r.key,
            problem: 'differs',
            detail: `HEAD shows ${sha ? `SHA-256 ${sha.slice(0, 12)}…` : 'no SHA-256'} and ${head.ContentLength} bytes, not ${r.sha256.slice(0, 12)}… and ${r.size}`,
          });
      } catch (e) {
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) {
          throw classifyTargetError(e, target) ?? e;
        }
        found({ key: r.key, problem: 'missing', detail: 'not in the bucket' });
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return result;
}
