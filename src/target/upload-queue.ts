import { markUploadFailed } from '../inventory/target-objects.js';
import { classifyTargetError, type TargetError } from './errors.js';
import type { UploadSummary } from './upload-all.js';
import { type UploadContext, type UploadItem, uploadOne } from './upload-one.js';

/** Uploads `queue` with `o.concurrency` workers; a setup problem throws, any other failure is recorded. */
export async function runQueue(
  o: { concurrency?: number; signal?: AbortSignal },
  ctx: UploadContext,
  queue: UploadItem[],
  summary: UploadSummary,
  progress: (c: { size: number }) => void = () => undefined,
): Promise<void> {
  const { target } = ctx;
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c && !o.signal?.aborted; c = queue.shift()) {
      const key = target.prefix + c.path;
      try {
        await uploadCounted(ctx, c, summary);
        progress(c);
      } catch (e) {
        if (o.signal?.aborted) return;
        const setup = recordFailure(ctx, summary, key, e);
        if (setup) throw setup;
        progress(c);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 2 }, worker));
}

/** Uploads one item (upload-one.ts) and counts it in the summary: sent, or found already there. */
export async function uploadCounted(
  ctx: UploadContext,
  item: UploadItem,
  summary: UploadSummary,
): Promise<void> {
  if ((await uploadOne(ctx, item)) === 'already') {
    summary.alreadyThere++;
    return;
  }
  const key = ctx.target.prefix + item.path;
  ctx.log?.({ level: 'debug', event: 'upload.file', message: `Uploaded ${key}.`, key, bytes: item.size });
  summary.uploaded++;
  summary.bytes += item.size;
}

/**
 * Records a failed upload on its row, in the summary and the log; returns the TargetError when the
 * failure is a setup problem (credentials revoked mid-run), which stops the phase instead.
 */
export function recordFailure(
  ctx: UploadContext,
  summary: UploadSummary,
  key: string,
  e: unknown,
): TargetError | undefined {
  const setup = classifyTargetError(e, ctx.target);
  if (setup) return setup;
  const err = e as { code?: string; name?: string; message?: string };
  const code = err.code === 'ENOENT' ? 'local_missing' : (err.code ?? err.name ?? 'error');
  const message =
    code === 'local_missing'
      ? 'the local copy is missing; run `feishu-backup verify` to queue it for download again'
      : (err.message ?? String(e));
  markUploadFailed(ctx.db, ctx.target.bucket, key, code, message);
  summary.failed++;
  summary.failures.push({ key, code, message });
  ctx.log?.({
    level: 'warn',
    event: 'upload.failed',
    message: `Upload of ${key} failed: ${message}`,
    key,
    code,
  });
  return undefined;
}
