import { newerThanCopy } from '../inventory/drive-versions.js';
import { GONE_FROM_FEISHU } from '../inventory/media-queue.js';
import type { MediaSource } from '../inventory/media-refs.js';
import type { Db } from '../inventory/open.js';
import type { QuotaUsage } from '../inventory/quota.js';
import type { DownloadPlan, DownloadSummary } from './types.js';

/**
 * What a download run would try, from the inventory alone: no request is made. Used by `--dry-run`
 * and for the "left to do" part of a summary.
 */
export function planDownloads(
  db: Db,
  options: { retryFailed?: boolean; skipSources?: readonly MediaSource[] } = {},
): DownloadPlan {
  const rows = db
    .prepare<
      [string],
      {
        status: string;
        gone: number;
        skip: number;
        n: number;
        known: number;
        bytes: number | null;
        partial: number | null;
        versions: number;
      }
    >(
      `SELECT status, ${GONE_FROM_FEISHU} AS gone, source IN (SELECT value FROM json_each(?)) AS skip,
         COUNT(*) AS n, COUNT(size) AS known, SUM(size) AS bytes,
         SUM(CASE WHEN status IN ('partial', 'error') THEN COALESCE(bytes_on_disk, 0) ELSE 0 END) AS partial,
         SUM(CASE WHEN source = 'drive_file' AND ${newerThanCopy('remote_version')} THEN 1 ELSE 0 END) AS versions
       FROM media WHERE status <> 'done' GROUP BY status, gone, skip`,
    )
    .all(JSON.stringify(options.skipSources ?? []));
  const plan = emptyPlan();
  for (const r of rows) {
    if (!(r.status in plan.byStatus)) continue;
    // Gone before any option: no setting would fetch it, and `status` counts it the same way.
    if (r.gone) {
      plan.skippedGone += r.n;
      continue;
    }
    if (r.skip) {
      plan.skippedByOption += r.n;
      continue;
    }
    plan.byStatus[r.status as keyof DownloadPlan['byStatus']] += r.n;
    if (r.status === 'failed' && !options.retryFailed) {
      plan.failedSkipped = r.n;
      continue;
    }
    plan.files += r.n;
    plan.bytesKnown += r.bytes ?? 0;
    plan.unknownSize += r.n - r.known;
    plan.bytesOnDiskPartial += r.partial ?? 0;
    plan.newVersions = (plan.newVersions ?? 0) + r.versions;
  }
  return plan;
}

/** A plan with nothing in it: the start of every count. */
export function emptyPlan(): DownloadPlan {
  return {
    files: 0,
    bytesKnown: 0,
    unknownSize: 0,
    byStatus: { pending: 0, partial: 0, error: 0, failed: 0 },
    failedSkipped: 0,
    bytesOnDiskPartial: 0,
    skippedByOption: 0,
    skippedGone: 0,
    newVersions: 0,
  };
}

/** A download that has done nothing yet: `left` is what it plans, the counters as they stand. */
export function emptyDownloadSummary(
  left: DownloadPlan,
  quota: QuotaUsage,
  quotas: QuotaUsage[],
): DownloadSummary {
  return {
    stopReason: 'complete',
    downloaded: 0,
    bytesReceived: 0,
    bytesPublished: 0,
    requests: 0,
    failures: [],
    left,
    quota,
    quotas,
    quotaSpent: [],
    durationMs: 0,
  };
}
