import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Target } from '../config/types.js';
import type { Db } from '../inventory/open.js';
import { markUploadFailed } from '../inventory/target-objects.js';
import { classifyTargetError } from './errors.js';
import { hashObject } from './hash-object.js';
import { SHA256_META } from './upload-params.js';

/** The error code of an object whose bytes `verify --deep` found wrong: its HEAD is not trusted again. */
export const CORRUPT_IN_BUCKET = 'corrupt_in_bucket';

export interface ObjectFinding {
  key: string;
  /** `corrupt`: (`--deep`) the object's bytes do not hash to the inventory's SHA-256. */
  problem: 'missing' | 'differs' | 'corrupt';
  detail: string;
}

export interface ObjectCheck {
  /** `head`: HEAD per object (metadata and length); `deep`: each object downloaded and re-hashed. */
  mode: 'head' | 'deep';
  checked: number;
  ok: number;
  /** Bytes downloaded and hashed (`deep` only). */
  bytesHashed: number;
  findings: ObjectFinding[];
  /** Stopped (Ctrl-C) before every object was checked. */
  interrupted: boolean;
}

/**
 * `verify` for the bucket: a HEAD per object the inventory records as uploaded, comparing the
 * SHA-256 metadata and the length; with `deep`, each object is downloaded and its bytes re-hashed
 * against the inventory's SHA-256 instead. An object missing, different or corrupt is marked
 * `error`, so the next backup or download uploads it again.
 */
export async function verifyObjects(o: {
  client: S3Client;
  db: Db;
  target: Target;
  deep?: boolean;
  signal?: AbortSignal;
  /** After each object (`deep`: the bytes hashed so far). */
  onProgress?: (p: { checked: number; total: number; bytesHashed: number }) => void;
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
  const total = rows.length;
  const result: ObjectCheck = {
    mode: o.deep ? 'deep' : 'head',
    checked: 0,
    ok: 0,
    bytesHashed: 0,
    findings: [],
    interrupted: false,
  };
  const found = (f: ObjectFinding): void => {
    result.findings.push(f);
    markUploadFailed(
      db,
      target.bucket,
      f.key,
      f.problem === 'missing'
        ? 'missing_in_bucket'
        : f.problem === 'corrupt'
          ? CORRUPT_IN_BUCKET
          : 'checksum_mismatch',
      f.detail,
    );
  };
  const deep = async (r: { key: string; sha256: string; size: number }): Promise<void> => {
    const got = await hashObject(client, target.bucket, r.key, o.signal);
    result.bytesHashed += got.bytes;
    if (got.sha256 !== r.sha256 || got.bytes !== r.size) {
      found({
        key: r.key,
        problem: 'corrupt',
        detail: `its ${got.bytes} bytes hash to ${got.sha256.slice(0, 12)}…, not the ${r.size} bytes and ${r.sha256.slice(0, 12)}… recorded`,
      });
    } else if (got.metaSha256 !== r.sha256) {
      found({
        key: r.key,
        problem: 'differs',
        detail: `the bytes are right but the metadata shows ${got.metaSha256 ? `SHA-256 ${got.metaSha256.slice(0, 12)}…` : 'no SHA-256'}`,
      });
    } else result.ok++;
  };
  const worker = async (): Promise<void> => {
    for (let r = rows.shift(); r && !o.signal?.aborted; r = rows.shift()) {
      result.checked++;
      try {
        if (o.deep) {
          await deep(r);
          continue;
        }
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
        if (o.signal?.aborted) return;
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) {
          throw classifyTargetError(e, target) ?? e;
        }
        found({ key: r.key, problem: 'missing', detail: 'not in the bucket' });
      } finally {
        o.onProgress?.({ checked: result.checked, total, bytesHashed: result.bytesHashed });
      }
    }
  };
  // HEADs are small: 8 at once. Deep downloads stream whole objects: 2 at once.
  await Promise.all(Array.from({ length: o.deep ? 2 : 8 }, worker));
  result.interrupted = o.signal?.aborted === true && result.checked < total;
  return result;
}
