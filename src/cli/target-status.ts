import { DEFAULT_STAGING_LIMIT, describeTarget } from '../config/target-naming.js';
import type { Target } from '../config/types.js';
import type { Db } from '../inventory/open.js';
import { type TargetCounts, targetCounts } from '../inventory/target-objects.js';
import { type TargetFailure, targetFailures, uploadsInFlight } from '../inventory/target-summary.js';
import { formatBytes, formatCount } from './format.js';

export interface TargetStatus extends TargetCounts {
  inFlight: { uploads: number; bytesSent: number };
  failures: TargetFailure[];
}

/** What `status` shows of the object storage target (README "Object storage"). */
export function readTargetStatus(db: Db, t: Target): TargetStatus {
  return {
    ...targetCounts(db, t.bucket, t.prefix),
    inFlight: uploadsInFlight(db, t.bucket, t.prefix),
    failures: targetFailures(db, t.bucket, t.prefix, 5).failures,
  };
}

/** Where, how much of what is on disk is in the bucket (verified by HEAD), what is in flight and what failed. */
export function targetLines(t: Target, c: TargetStatus): string[] {
  const inv = c.inventoryUploadedAt
    ? `inventory copied ${c.inventoryUploadedAt.replace('T', ' ').slice(0, 16)} UTC`
    : 'inventory not copied yet';
  const failed = c.failed ? `, ${formatCount(c.failed)} failed` : '';
  const lines = [
    `Target     ${describeTarget(t)}`,
    `           ${formatCount(c.uploaded)} of ${formatCount(c.mediaDone)} files ${t.keepLocal ? 'on disk' : 'downloaded'} uploaded and checked${failed}`,
    `           ${formatCount(c.snapshotsUploaded)} of ${formatCount(c.snapshots)} snapshots uploaded; ${inv}`,
  ];
  if (c.inFlight.uploads) {
    lines.push(
      `           ${formatCount(c.inFlight.uploads)} multipart upload${c.inFlight.uploads === 1 ? '' : 's'} interrupted (${formatBytes(c.inFlight.bytesSent)} sent): the next backup or download continues them`,
    );
  }
  if (!t.keepLocal)
    lines.push(
      `           keepLocal false: files are removed locally once checked in the bucket (staging limit ${formatBytes(t.stagingLimit ?? DEFAULT_STAGING_LIMIT)})`,
    );
  for (const f of c.failures) lines.push(`           failed ${f.key}: ${f.code}: ${f.message}`);
  if (c.failed) lines.push('           the next backup or download uploads the failed ones again');
  return lines;
}
