import { describeTarget } from '../config/target-naming.js';
import type { Target } from '../config/types.js';
import type { Db } from '../inventory/open.js';
import { targetCounts } from '../inventory/target-objects.js';
import { type TargetFailure, targetFailures, uploadsInFlight } from '../inventory/target-summary.js';
import { escapeHtml as e } from './escape.js';
import { formatBytes, formatCount, formatTime, percent } from './format.js';

/**
 * The object storage target as the report shows it: where (bucket, prefix, endpoint; the config
 * holds no credential, so none can show), and how much of the backup is in the bucket.
 */
export interface ReportTarget {
  where: string;
  bucket: string;
  prefix: string;
  endpoint: string | null;
  storageClass: string | null;
  objectLockDays: number | null;
  keepLocal: boolean;
  /** keepLocal false: the bytes of media files staged locally at once, at most. */
  stagingLimit: number | null;
  /**
   * Media files downloaded whole, and of those in the bucket with their SHA-256 checked by HEAD. With
   * `keepLocal` they are all on disk; without, each is deleted once its object is checked.
   */
  files: number;
  filesUploaded: number;
  snapshots: number;
  snapshotsUploaded: number;
  /** Not in the bucket yet, and not failed: the next backup or download uploads them. */
  pending: number;
  /** Multipart uploads an interrupted run left, with the bytes already sent: the next run continues them. */
  inFlight: { uploads: number; bytesSent: number };
  failed: number;
  /** The most recent failures (at most 20). */
  failures: TargetFailure[];
  inventoryUploadedAt: string | null;
}

export function collectTarget(db: Db, t: Target): ReportTarget {
  const c = targetCounts(db, t.bucket, t.prefix);
  const f = targetFailures(db, t.bucket, t.prefix);
  return {
    where: describeTarget(t),
    bucket: t.bucket,
    prefix: t.prefix,
    endpoint: t.endpoint ?? null,
    storageClass: t.storageClass ?? null,
    objectLockDays: t.objectLockDays ?? null,
    keepLocal: t.keepLocal,
    stagingLimit: t.keepLocal ? null : (t.stagingLimit ?? null),
    files: c.mediaDone,
    filesUploaded: c.uploaded,
    snapshots: c.snapshots,
    snapshotsUploaded: c.snapshotsUploaded,
    pending: Math.max(0, c.mediaDone + c.snapshots - c.uploaded - c.snapshotsUploaded - f.total),
    inFlight: uploadsInFlight(db, t.bucket, t.prefix),
    failed: f.total,
    failures: f.failures,
    inventoryUploadedAt: c.inventoryUploadedAt,
  };
}

export function targetSection(t: ReportTarget | undefined): string {
  if (!t) return '';
  const card = (cls: string, k: string, id: string, n: number, d: string): string =>
    `<div class="stat ${cls}"><div class="k">${k}</div><div class="n" id="${id}">${formatCount(n)}</div><div class="d">${d}</div></div>`;
  const inFlight = t.inFlight.uploads
    ? `${formatCount(t.inFlight.uploads)} multipart upload${t.inFlight.uploads === 1 ? '' : 's'} in flight, ${formatBytes(t.inFlight.bytesSent)} sent; the next run continues them`
    : 'none in flight';
  const failures = t.failures.length
    ? `<div class="failures"><div class="failure"><div class="head"><span>${formatCount(t.failed)} not uploaded: retried by the next backup or download</span></div><ul>${t.failures
        .map((f) => `<li><code>${e(f.key)}</code> <b>${e(f.code)}</b>: ${e(f.message)}</li>`)
        .join('')}</ul></div></div>`
    : '';
  const local = t.keepLocal
    ? 'kept on disk'
    : `deleted once uploaded and checked${t.stagingLimit ? `; at most ${formatBytes(t.stagingLimit)} staged at once` : ''}`;
  const lock = t.objectLockDays ? `COMPLIANCE retention, ${formatCount(t.objectLockDays)} days` : 'off';
  return (
    `<section class="card" id="target"><h2>Object storage</h2>` +
    `<div class="band">` +
    card(
      'ok',
      'Files uploaded and verified',
      'target-uploaded',
      t.filesUploaded,
      `of ${formatCount(t.files)} ${t.keepLocal ? 'on disk' : 'downloaded'} · ${percent(t.filesUploaded, t.files)}`,
    ) +
    card(
      'ok',
      'Snapshots uploaded',
      'target-snapshots',
      t.snapshotsUploaded,
      `of ${formatCount(t.snapshots)}`,
    ) +
    card('pending', 'Pending upload', 'target-pending', t.pending, inFlight) +
    card('failed', 'Failed uploads', 'target-failed', t.failed, 'see below') +
    `</div><dl>` +
    `<dt>Bucket</dt><dd id="target-where"><code>${e(t.where)}</code></dd>` +
    `<dt>Endpoint</dt><dd>${t.endpoint ? `<code>${e(t.endpoint)}</code>` : 'AWS S3'}</dd>` +
    `<dt>Storage class</dt><dd>${e(t.storageClass ?? 'the bucket default')}</dd>` +
    `<dt>Object lock</dt><dd>${e(lock)}</dd>` +
    `<dt>Local copies</dt><dd id="target-local">${e(local)}</dd>` +
    `<dt>Inventory copy</dt><dd>${t.inventoryUploadedAt ? `uploaded ${e(formatTime(t.inventoryUploadedAt))}` : 'not uploaded yet'}</dd>` +
    `</dl><h3>Verified: each object's SHA-256 (metadata) and length checked by HEAD after upload; ` +
    `<code>verify --deep</code> downloads and re-hashes them.</h3>${failures}</section>`
  );
}
