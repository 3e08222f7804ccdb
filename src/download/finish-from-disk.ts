import type { MediaRow } from '../inventory/media-queue.js';
import type { Endpoint } from './endpoints.js';
import type { FileResult } from './file-result.js';
import { type PartPaths, type ResumePoint, sealCompletePart } from './part-file.js';
import { publishFile } from './publish-file.js';
import type { RunContext } from './run-context.js';

/**
 * Publishes a `.part` that holds all `size` bytes without receiving them again: fsynced and hashed
 * from disk, named from the server's name and type its sidecar kept. Undefined (nothing touched) when
 * the `.part` is not exactly `size` bytes.
 */
export async function finishFromDisk(
  ctx: RunContext,
  row: MediaRow,
  endpoint: Endpoint,
  paths: PartPaths,
  point: ResumePoint,
  size: number,
  how: string,
): Promise<FileResult | undefined> {
  const sealed = await sealCompletePart(paths, size);
  if (!sealed) return undefined;
  ctx.log({
    level: 'debug',
    event: 'download.from_disk',
    message: `${row.file_token}: the .part already holds all ${size} bytes; publishing it ${how}`,
    fileToken: row.file_token,
  });
  const { fileName, mimeType } = point;
  return await publishFile(ctx, row, endpoint, paths, { ...sealed, fileName, mimeType });
}
