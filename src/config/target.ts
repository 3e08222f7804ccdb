import { z } from 'zod';
import { DEFAULT_STAGING_LIMIT } from './target-naming.js';

export { DEFAULT_STAGING_LIMIT, describeTarget } from './target-naming.js';

/**
 * The `target` block: an S3-compatible bucket the backup is uploaded to (AWS S3, MinIO, Ceph RGW,
 * Aliyun OSS, Tencent COS). Credentials are deliberately not part of it: they come from the AWS
 * SDK's standard chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance roles), so a
 * config file never holds them.
 */
export const targetSchema = z.strictObject({
  /** e.g. http://127.0.0.1:9000 for MinIO; absent: AWS S3 itself. */
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  region: z.string().min(1).optional(),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
  prefix: z.string().optional(),
  forcePathStyle: z.boolean().optional(),
  storageClass: z.string().min(1).optional(),
  objectLockDays: z.number().int().positive().max(36_500).optional(),
  /** Local folder the files are downloaded to before upload, when outputDir is an s3:// URL. */
  stagingDir: z.string().min(1).optional(),
  keepLocal: z.boolean().optional(),
  /** With keepLocal false: bytes staged locally at most (a number, or "2GiB", "500MB"). */
  stagingLimit: z.union([z.number().int().positive(), z.string().min(1)]).optional(),
});

export interface Target {
  endpoint?: string;
  /** @default us-east-1 (AWS_REGION / AWS_DEFAULT_REGION win when set) */
  region: string;
  bucket: string;
  /** '' or ends with '/', no leading '/'. */
  prefix: string;
  /** @default true when an endpoint is set (MinIO, s3rver, Ceph need it), false for AWS. */
  forcePathStyle: boolean;
  storageClass?: string;
  objectLockDays?: number;
  /**
   * Uploaded files stay in the local folder. With false the folder is a staging area: a media file
   * is deleted locally once its object is uploaded and checked by HEAD (README "Object storage").
   * @default true
   */
  keepLocal: boolean;
  /** With keepLocal false: the bytes of media files staged locally at once (set only then). @default 2 GiB */
  stagingLimit?: number;
}

export const TARGET_FIXES: Record<string, string> = {
  'target.bucket': 'use an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)',
  'target.endpoint': 'use the http(s) URL of the S3 endpoint, e.g. "http://127.0.0.1:9000" for MinIO',
  'target.objectLockDays': 'use a whole number of days from 1 to 36500',
  'target.stagingLimit': 'use a size in bytes, or a string such as "2GiB" or "500MB"',
  outputDir: 'set "outputDir" to a folder, or to "s3://<bucket>/<prefix>"',
};

/** `s3://bucket/some/prefix` -> bucket and prefix; undefined when `outputDir` is a plain path. */
export function parseS3Url(outputDir: string): { bucket: string; prefix: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(outputDir.trim());
  return m ? { bucket: m[1]!, prefix: m[2]! } : undefined;
}

function normalisePrefix(prefix: string | undefined): string {
  const p = (prefix ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  return p ? `${p}/` : '';
}

export const DEFAULT_STAGING_DIR = 'feishu-backup-staging';

/**
 * Resolves `outputDir` (a folder or `s3://bucket/prefix`) and the `target` block into the local
 * folder and the target. With an s3:// outputDir the local folder is `target.stagingDir`, else
 * `feishu-backup-staging` beside the config file.
 */
export function resolveTarget(
  outputDir: string,
  raw: z.infer<typeof targetSchema> | undefined,
  env: NodeJS.ProcessEnv,
  problems: string[],
): { localDir: string; target?: Target } {
  const url = parseS3Url(outputDir);
  if (!url && !raw) return { localDir: outputDir };
  if (url && raw && raw.bucket !== url.bucket) {
    problems.push(
      `target.bucket: "${raw.bucket}" differs from the bucket in outputDir ("${url.bucket}"); name one bucket`,
    );
  }
  if (url && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(url.bucket)) {
    problems.push(`outputDir: "${url.bucket}" is not an S3 bucket name; ${TARGET_FIXES['target.bucket']}`);
  }
  const endpoint = raw?.endpoint;
  const target: Target = {
    region: raw?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    bucket: url?.bucket ?? raw!.bucket,
    prefix: normalisePrefix(raw?.prefix ?? url?.prefix),
    forcePathStyle: raw?.forcePathStyle ?? endpoint !== undefined,
    keepLocal: raw?.keepLocal ?? true,
  };
  if (!target.keepLocal) target.stagingLimit = parseStagingLimit(raw?.stagingLimit, problems);
  if (endpoint) target.endpoint = endpoint;
  if (raw?.storageClass) target.storageClass = raw.storageClass;
  if (raw?.objectLockDays) target.objectLockDays = raw.objectLockDays;
  if (raw?.stagingLimit !== undefined && target.keepLocal) {
    problems.push(
      'target.stagingLimit: only applies with "keepLocal": false (every file stays on disk otherwise); remove it or set keepLocal to false',
    );
  }
  const localDir = url ? (raw?.stagingDir ?? DEFAULT_STAGING_DIR) : outputDir;
  return { localDir, target };
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1000 ** 4,
  tib: 1024 ** 4,
};

/** `target.stagingLimit`: bytes, or "2GiB" / "500MB" / "1.5G" (binary for K/M/G/T and KiB…, decimal for KB…). */
export function parseStagingLimit(raw: number | string | undefined, problems: string[]): number {
  if (raw === undefined) return DEFAULT_STAGING_LIMIT;
  if (typeof raw === 'number') return raw;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const factor = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && factor !== undefined ? Math.floor(Number(m[1]) * factor) : 0;
  if (bytes < 1) {
    problems.push(
      `target.stagingLimit: ${JSON.stringify(raw)} is not a size; ${TARGET_FIXES['target.stagingLimit']}`,
    );
    return DEFAULT_STAGING_LIMIT;
  }
  return bytes;
}
