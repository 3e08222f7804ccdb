import { join } from 'node:path';
import type { MediaRow } from '../inventory/media-queue.js';
import { mediaFileName, mediaRelativePath } from '../naming/media-path.js';
import { boardFileName } from './board-name.js';
import { linkByDocument } from './by-document.js';
import type { Endpoint } from './endpoints.js';
import { dropReplaced, keepEarlierCopy } from './keep-version.js';
import { type PartPaths, publishPart } from './part-file.js';
import type { RunContext } from './run-context.js';

/**
 * A complete, fsynced `.part` and what is known of it: from a response just received, or sealed from
 * disk after a previous run stopped between its last byte and the rename.
 */
export interface CompleteFile {
  sha256: string;
  bytes: number;
  /** The server's `Content-Disposition` name. */
  fileName?: string;
  mimeType?: string;
}

/**
 * Names the file, renames the `.part` into `media/…`, marks the row `done` (only once the file is in
 * place) and adds its `by-document` entries. Both ways a file completes go through here, so a file
 * finished from disk is named and recorded exactly as one just received.
 *
 * A new version of a drive file replaces the copy backed up before: that copy is first kept under the
 * token's versions/ folder (keep-version.ts), and the row records the version it now holds.
 */
export async function publishFile(
  ctx: RunContext,
  row: MediaRow,
  endpoint: Endpoint,
  paths: PartPaths,
  file: CompleteFile,
): Promise<{ type: 'done'; bytes: number; path: string }> {
  const mimeType = file.mimeType ?? row.mime_type;
  // A whiteboard export carries no name of its own: it is named after its document.
  const serverName = endpoint.serverNames ? file.fileName : undefined;
  const inventoryName =
    row.name ??
    (endpoint.source === 'board'
      ? boardFileName(ctx.db, { id: row.id, fileToken: row.file_token }, mimeType)
      : null);
  const name = mediaFileName({ serverName, inventoryName, fileToken: row.file_token, mimeType });
  const rel = mediaRelativePath(row.file_token, name);
  const kept = await keepEarlierCopy(ctx.outputDir, row, rel, file.sha256);
  await publishPart(paths, join(ctx.outputDir, rel));
  ctx.states.learn(row.id, serverName ?? inventoryName ?? undefined, file.mimeType);
  ctx.states.done(row.id, {
    path: rel.split('\\').join('/'),
    sha256: file.sha256,
    bytes: file.bytes,
    at: new Date(ctx.clock.now()),
    version: row.remote_version,
    via: endpoint.tmpUrl ? 'tmp-url' : 'direct',
  });
  if (kept) {
    // After `done`, so the inventory never names a file that is not there.
    await dropReplaced(ctx.outputDir, kept, rel);
  }
  if (kept?.path) {
    ctx.log({
      level: 'info',
      event: 'download.version.kept',
      message: `${row.file_token}: a new version replaced the copy backed up before, kept as ${kept.path}`,
      fileToken: row.file_token,
      path: kept.path,
    });
  }
  if (ctx.byDocument !== false)
    await linkByDocument(ctx.db, ctx.outputDir, {
      id: row.id,
      fileToken: row.file_token,
      path: rel,
      source: row.source,
    }).catch((e: unknown) =>
      ctx.log({
        level: 'warn',
        event: 'download.link.failed',
        message: `Could not add the by-document entries of ${row.file_token}: ${(e as Error).message}`,
        fileToken: row.file_token,
      }),
    );
  return { type: 'done', bytes: file.bytes, path: rel };
}
