import type { S3Client } from '@aws-sdk/client-s3';
import { describeTarget } from '../config/target-naming.js';
import type { Config } from '../config/types.js';
import type { StagedRun } from '../target/staged-run.js';
import type { UploadSummary } from '../target/upload-all.js';
import { counted } from '../units.js';
import { ExitCode } from './exit-codes.js';
import { formatBytes, formatCount } from './format.js';
import type { Session } from './session.js';

/**
 * The object storage target (README "Object storage"): checked before the crawl so a missing
 * bucket or refused credentials stop the run at once (exit 2), uploaded after the downloads.
 */
export async function prepareTarget(config: Config): Promise<S3Client | undefined> {
  if (!config.target) return undefined;
  // Loaded only when a target is configured: the AWS SDK is ~23 MiB of a run's memory (BENCHMARKS.md).
  const { checkBucket, makeS3Client } = await import('../target/s3-client.js');
  const client = makeS3Client(config.target);
  await checkBucket(client, config.target);
  return client;
}

/**
 * keepLocal false: the staging area the downloads go through (src/target/staged-run.ts); it removes
 * local copies already in the bucket and starts uploading files a stopped run left on disk.
 */
export async function startStaging(s: Session, client: S3Client): Promise<StagedRun> {
  const { startStagedRun } = await import('../target/staged-run.js');
  return startStagedRun({
    client,
    db: s.db,
    target: s.config.target!,
    outputDir: s.config.outputDir,
    runId: s.runId,
    signal: s.signals.signal,
    log: s.output.log,
  });
}

/**
 * The upload phase after the downloads: media files not uploaded yet, snapshots, the view,
 * versions/, the per-document manifests and the inventory copy. `staged` holds what the uploads
 * during the downloads did (keepLocal false); the phase adds to it.
 */
export async function uploadStep(
  s: Session,
  client: S3Client,
  signal: AbortSignal,
  staged?: UploadSummary,
): Promise<UploadSummary | undefined> {
  const target = s.config.target;
  if (!target) return undefined;
  const { uploadAll } = await import('../target/upload-all.js');
  const progress = s.output.startProgress();
  progress.update({ phase: 'upload' });
  let summary: UploadSummary;
  try {
    summary = await uploadAll({
      client,
      db: s.db,
      target,
      outputDir: s.config.outputDir,
      runId: s.runId,
      signal,
      log: s.output.log,
      onProgress: (p) => progress.update(p),
      ...(staged ? { summary: staged } : {}),
    });
  } finally {
    s.output.stopProgress();
  }
  const lines = [
    `Uploaded    ${formatCount(summary.uploaded)} file${summary.uploaded === 1 ? '' : 's'} (${formatBytes(summary.bytes)}) to ${describeTarget(target)}, each checked by HEAD` +
      (summary.alreadyThere ? `; ${formatCount(summary.alreadyThere)} already there` : ''),
  ];
  if (summary.failed) {
    lines.push(`            ${formatCount(summary.failed)} not uploaded (retried next run):`);
    for (const f of summary.failures.slice(0, 5)) lines.push(`              ${f.key}: ${f.message}`);
  }
  if (summary.manifestsUploaded)
    lines.push(
      `            ${counted(summary.manifestsUploaded, 'document manifest')} (by-document/) written`,
    );
  if (summary.staging) {
    const st = summary.staging;
    lines.push(
      `            staging: ${counted(st.deleted, 'file')} removed locally after upload; peak ${formatBytes(st.peakBytes)} of the ${formatBytes(st.limit)} limit` +
        (st.full ? ' (downloads stopped: the staged files could not be uploaded)' : ''),
    );
  }
  lines.push(
    summary.inventoryUploaded
      ? `            inventory copied to ${describeTarget({ ...target, prefix: `${target.prefix}inventory.sqlite` })}`
      : '            the inventory copy was NOT uploaded (retried next run)',
  );
  s.output.result(lines.join('\n'));
  return summary;
}

/** A run whose uploads failed is partial (3), unless it already ended worse. */
export function exitCodeWithUpload(exitCode: number, upload: UploadSummary | undefined): number {
  if (!upload || exitCode !== ExitCode.ok) return exitCode;
  return upload.failed > 0 || !upload.inventoryUploaded ? ExitCode.partial : exitCode;
}
