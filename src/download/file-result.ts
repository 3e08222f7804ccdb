import { stat } from 'node:fs/promises';
import type { FeishuError } from '../feishu/errors.js';
import { DocumentDirectory } from '../inventory/document-directory.js';
import { describeDocument, documentsHolding } from '../inventory/failing-documents.js';
import type { MediaRow } from '../inventory/media-queue.js';
import { fixFor } from './media-fixes.js';
import type { RunContext } from './run-context.js';

export type FileResult =
  | { type: 'done'; bytes: number; path: string }
  | { type: 'failed' | 'error'; error: FeishuError; fix: string }
  /** Stopped by the run (quota, interrupt, fatal): the `.part` is kept and the row is `partial`/`pending`. */
  | { type: 'parked' }
  /**
   * Rate-limited while another file of its lane already waits for the lane's next start: back in its
   * lane's queue for this run (the `.part` kept, the row `partial`/`pending`), so that its worker serves
   * another lane meanwhile instead of waiting out the pause as the lane's second waiter.
   */
  | { type: 'later' };

/** Stops work on the file for this run, keeping its `.part`: the row records the bytes it holds. */
export async function park(ctx: RunContext, row: MediaRow, part: string): Promise<FileResult> {
  const size = await stat(part).then(
    (s) => s.size,
    () => 0,
  );
  ctx.states.park(row.id, size);
  return { type: 'parked' };
}

/** Stops work on the file for this run with an error the user is told how to fix (row, log). */
export async function giveUp(
  ctx: RunContext,
  row: MediaRow,
  part: string,
  status: 'failed' | 'error',
  error: FeishuError,
): Promise<FileResult> {
  await park(ctx, row, part);
  const fix = fixFor(row.source, error);
  const record = { kind: error.kind, code: error.code, message: error.message, fix };
  if (status === 'failed') ctx.states.failed(row.id, record);
  else ctx.states.error(row.id, record);
  // The fix is about the document holding the file: name it (and its root) where the failure shows.
  const holders = documentsHolding(ctx.db, new DocumentDirectory(ctx.db), row.id);
  const where = holders.length ? ` in ${holders.map(describeDocument).join('; ')}` : '';
  ctx.log({
    level: 'warn',
    event: status === 'failed' ? 'download.file.failed' : 'download.file.error',
    message: `${row.file_token}${row.name ? ` (${row.name})` : ''}${where}: ${error.message}. ${fix}`,
    fileToken: row.file_token,
    kind: error.kind,
    documents: holders,
  });
  return { type: status, error, fix };
}
