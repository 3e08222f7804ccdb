/**
 * The uploading process of the upload benchmark: either the backup's upload phase (`uploadAll` on a
 * prepared inventory) or the SDK's own lib-storage `Upload` of the same file, printing its wall time
 * and peak RSS as JSON. Imports only what that upload needs (no s3rver, no bench code).
 */
import { createReadStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Upload } from '@aws-sdk/lib-storage';
import { openInventory } from '../src/inventory/open.js';
import { makeS3Client } from '../src/target/s3-client.js';
import { uploadAll } from '../src/target/upload-all.js';

export interface UploadJob {
  mode: 'backup' | 'sdk';
  endpoint: string;
  bucket: string;
  prefix: string;
  /** backup: the inventory and the local folder it describes; sdk: the file and its key. */
  dbFile: string;
  outputDir: string;
  file: string;
  key: string;
  partSize: number;
  queueSize: number;
}

export interface UploadResult {
  wallMs: number;
  maxRssBytes: number;
  uploaded: number;
  cpuMicros: { user: number; system: number };
}

export async function child(job: UploadJob): Promise<void> {
  const target = {
    endpoint: job.endpoint,
    region: 'us-east-1',
    bucket: job.bucket,
    prefix: job.prefix,
    forcePathStyle: true,
    keepLocal: true,
  };
  // The same client, configured as the backup configures it, for both.
  const client = makeS3Client(target);
  let uploaded = 0;
  const started = performance.now();
  if (job.mode === 'backup') {
    const db = openInventory(job.dbFile);
    const runId = Number(
      db.prepare("INSERT INTO runs (command, started_at) VALUES ('backup', ?)").run(new Date().toISOString())
        .lastInsertRowid,
    );
    const summary = await uploadAll({ client, db, target, outputDir: job.outputDir, runId });
    if (summary.failed || !summary.inventoryUploaded) throw new Error(JSON.stringify(summary));
    uploaded = summary.uploaded;
    db.close();
  } else {
    await new Upload({
      client,
      params: { Bucket: job.bucket, Key: job.key, Body: createReadStream(job.file) },
      partSize: job.partSize,
      queueSize: job.queueSize,
    }).done();
    uploaded = 1;
  }
  const wallMs = performance.now() - started;
  const usage = process.resourceUsage();
  const result: UploadResult = {
    wallMs,
    maxRssBytes: usage.maxRSS * 1024,
    uploaded,
    cpuMicros: { user: usage.userCPUTime, system: usage.systemCPUTime },
  };
  process.stdout.write(JSON.stringify(result));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await child(JSON.parse(process.argv[2]!) as UploadJob);
}
