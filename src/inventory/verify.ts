import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Logger } from '../events.js';
import { GONE_FROM_FEISHU } from './media-queue.js';
import type { Db } from './open.js';

export type VerifyProblem = 'missing' | 'corrupt';

export interface VerifyFinding {
  fileToken: string;
  path: string;
  problem: VerifyProblem;
  detail: string;
}

export interface VerifySummary {
  checked: number;
  ok: number;
  missing: number;
  corrupt: number;
  bytesHashed: number;
  /** Files put back in the download queue (only with `repair`). */
  requeued: number;
  /** Of those, files whose documents are gone from Feishu: a download leaves them out until a crawl finds them again. */
  requeuedGone: number;
  /** Files left to the bucket check: their object is in the bucket, their local copy removed (keepLocal false). */
  inBucket: number;
  findings: VerifyFinding[];
  interrupted: boolean;
}

export interface VerifyOptions {
  db: Db;
  outputDir: string;
  /** Queue missing and corrupt files for download again. */
  repair?: boolean;
  /** Files hashed at once; hashing is disk-bound, so a few are plenty. @default 2 */
  concurrency?: number;
  signal?: AbortSignal;
  log?: Logger;
  onProgress?: (p: { checked: number; total: number; bytesHashed: number }) => void;
  /**
   * Object storage with keepLocal false: files whose object is recorded as checked in this bucket
   * are not looked for on disk (they were removed after upload); the bucket check covers them.
   */
  inBucket?: { bucket: string; prefix: string };
}

interface DoneRow {
  id: number;
  file_token: string;
  path: string;
  sha256: string | null;
  bytes_on_disk: number | null;
}

/** Hex sha256 of a file, streamed. */
export async function sha256File(
  path: string,
  signal?: AbortSignal,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { signal })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Re-hashes every downloaded file against the inventory. A file is missing when it is not on disk,
 * corrupt when its size or sha256 differs. With `repair`, such rows go back to `pending` so the next
 * `download` fetches them again; the damaged file itself is left for that download to replace.
 */
export async function verifyFiles(options: VerifyOptions): Promise<VerifySummary> {
  const { db, outputDir, signal } = options;
  const root = resolve(outputDir);
  const all = db
    .prepare(
      "SELECT id, file_token, path, sha256, bytes_on_disk FROM media WHERE status = 'done' AND path IS NOT NULL ORDER BY id",
    )
    .all() as DoneRow[];
  const inBucket = options.inBucket;
  const uploaded = inBucket
    ? db.prepare<[string, string, string | null], { n: number }>(
        `SELECT 1 AS n FROM target_objects WHERE bucket = ? AND object_key = ? AND status = 'done' AND sha256 = ?`,
      )
    : undefined;
  const rows = uploaded
    ? all.filter((r) => !uploaded.get(inBucket!.bucket, inBucket!.prefix + r.path, r.sha256))
    : all;
  const requeue = db.prepare(
    `UPDATE media SET status = 'pending', error_kind = NULL, error_code = NULL, error_message = NULL,
            error_fix = NULL WHERE id = ? AND status = 'done'`,
  );
  const gone = db.prepare<[number], { gone: number }>(
    `SELECT ${GONE_FROM_FEISHU} AS gone FROM media WHERE id = ?`,
  );
  const summary: VerifySummary = {
    checked: 0,
    ok: 0,
    missing: 0,
    corrupt: 0,
    bytesHashed: 0,
    requeued: 0,
    requeuedGone: 0,
    inBucket: all.length - rows.length,
    findings: [],
    interrupted: false,
  };

  const check = async (row: DoneRow): Promise<void> => {
    const full = resolve(root, row.path);
    const rel = relative(root, full);
    let finding: VerifyFinding | undefined;
    if (rel.startsWith('..') || isAbsolute(rel)) {
      finding = {
        fileToken: row.file_token,
        path: row.path,
        problem: 'corrupt',
        detail: 'path escapes outputDir',
      };
    } else {
      finding = await checkOne(row, full, signal);
    }
    summary.checked++;
    if (!finding) {
      summary.ok++;
    } else {
      summary[finding.problem]++;
      summary.findings.push(finding);
      options.log?.({
        level: 'warn',
        event: `verify.${finding.problem}`,
        message: `${finding.problem}: ${row.path} (${finding.detail})`,
        fileToken: row.file_token,
        path: row.path,
      });
      // Queued even when gone from Feishu: the row no longer stands for a good copy, and a restored
      // document fetches it again. The summary says which ones no download will fetch for now.
      if (options.repair && requeue.run(row.id).changes > 0) {
        summary.requeued++;
        if (gone.get(row.id)?.gone) summary.requeuedGone++;
      }
    }
    options.onProgress?.({ checked: summary.checked, total: rows.length, bytesHashed: summary.bytesHashed });
  };

  const checkOne = async (
    row: DoneRow,
    full: string,
    s?: AbortSignal,
  ): Promise<VerifyFinding | undefined> => {
    const base = { fileToken: row.file_token, path: row.path };
    let size: number;
    try {
      const st = await stat(full);
      if (!st.isFile()) return { ...base, problem: 'missing', detail: 'not a regular file' };
      size = st.size;
    } catch {
      return { ...base, problem: 'missing', detail: 'not on disk' };
    }
    if (row.bytes_on_disk !== null && size !== row.bytes_on_disk) {
      return { ...base, problem: 'corrupt', detail: `size ${size}, expected ${row.bytes_on_disk}` };
    }
    const { sha256, bytes } = await sha256File(full, s);
    summary.bytesHashed += bytes;
    if (row.sha256 && sha256 !== row.sha256.toLowerCase()) {
      return {
        ...base,
        problem: 'corrupt',
        detail: `sha256 ${sha256.slice(0, 12)}…, expected ${row.sha256.slice(0, 12)}…`,
      };
    }
    return undefined;
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rows.length && !signal?.aborted) {
      const row = rows[next++]!;
      try {
        await check(row);
      } catch (e) {
        if (signal?.aborted) return;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  summary.interrupted = signal?.aborted ?? false;
  return summary;
}
