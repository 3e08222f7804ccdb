import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_STAGING_LIMIT } from '../config/target-naming.js';
import type { DownloadStaging } from '../download/types.js';
import type { Db } from '../inventory/open.js';
import { uploadCandidates } from '../inventory/target-objects.js';
import { largestMedia, mediaInBucket, publishedMedia } from '../inventory/target-staging.js';
import { StagingArea } from './staging.js';
import { emptyUploadSummary, type UploadSummary } from './upload-all.js';
import type { UploadContext } from './upload-one.js';
import { recordFailure, uploadCounted } from './upload-queue.js';

export interface StagedRun {
  /** Handed to the downloader: its gate on local disk use. */
  gate: DownloadStaging;
  area: StagingArea;
  /** What the uploads during the downloads did; the upload phase adds to it. */
  summary: UploadSummary;
}

/**
 * keepLocal false (README "Object storage"): before the downloads, removes the local copies whose
 * objects are checked in the bucket (a run killed between the HEAD and the delete left them) and
 * queues for upload the files a stopped run left on disk; then uploads each file the downloader
 * publishes, while it downloads the next ones within `target.stagingLimit`.
 */
export async function startStagedRun(ctx: UploadContext): Promise<StagedRun> {
  const { db, target } = ctx;
  await removeUploadedCopies(db, ctx);
  const summary = emptyUploadSummary();
  const area = new StagingArea({
    limit: target.stagingLimit ?? DEFAULT_STAGING_LIMIT,
    outputDir: ctx.outputDir,
    largestSeen: largestMedia(db),
    upload: async (file) => {
      try {
        await uploadCounted(ctx, { ...file, deleteAfter: true }, summary);
      } catch (e) {
        if (ctx.signal?.aborted) throw e;
        throw recordFailure(ctx, summary, target.prefix + file.path, e) ?? e;
      }
    },
  });
  summary.staging = area.summary;
  for (const c of uploadCandidates(db, target.bucket, target.prefix)) {
    // A row done whose file is gone is left to the upload phase, which names it (local_missing).
    if (c.mediaId !== null && existsSync(path.join(ctx.outputDir, ...c.path.split('/'))))
      area.add({ ...c, mediaId: c.mediaId });
  }
  const gate: DownloadStaging = {
    admit: (row, signal) => area.admit(row.size, signal),
    finished: (reservation, row, result) =>
      area.finished(
        reservation,
        result?.type === 'done' ? publishedMedia(db, target.bucket, target.prefix, row.id) : undefined,
      ),
  };
  return { gate, area, summary };
}

async function removeUploadedCopies(db: Db, ctx: UploadContext): Promise<void> {
  const { bucket, prefix } = ctx.target;
  for (let rows = mediaInBucket(db, bucket, prefix, 0); rows.length > 0; ) {
    for (const r of rows) await rm(path.join(ctx.outputDir, ...r.path.split('/')), { force: true });
    rows = mediaInBucket(db, bucket, prefix, rows.at(-1)!.id);
  }
}
