import { join } from 'node:path';
import { sanitizeFilename } from './sanitize-filename.js';

/** A drive file's earlier versions sit in this folder of its token folder (src/download/LAYOUT.md). */
export const VERSIONS_FOLDER = 'versions';

/**
 * The fan-out folder of a token: its last two characters, lower-cased (`boxcnA1b2` -> `b2`). Feishu
 * tokens share their first characters by kind (`boxcn…`, `doxcn…`), so the first two put almost
 * every file in one folder; the last two vary. Lower case keeps a copy on a case-insensitive disk
 * from merging two folders' names differently than here. Anything but [a-z0-9] becomes `_`.
 * Migration 0016 computes the same in SQL for rows stored before; keep the two in step.
 */
export function mediaShard(fileToken: string): string {
  const token = sanitizeFilename(fileToken, { fallback: 'token' });
  return token
    .slice(-2)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '_')
    .padStart(2, '_');
}

/**
 * Where a media file is stored, relative to the output directory:
 *   media/<shard>/<token>/<name>
 * The token directory makes the stored copy unique without renaming; the shard keeps directories
 * small for file managers and old file systems.
 */
export function mediaRelativePath(fileToken: string, name: string): string {
  const token = sanitizeFilename(fileToken, { fallback: 'token' });
  return join('media', mediaShard(fileToken), token, name);
}

/** The stored file name: the server's name, else the inventory's, else the token; extension from MIME. */
export function mediaFileName(options: {
  serverName?: string | undefined;
  inventoryName?: string | null | undefined;
  fileToken: string;
  mimeType?: string | null | undefined;
}): string {
  const raw = options.serverName ?? options.inventoryName ?? '';
  const name = sanitizeFilename(raw, {
    fallback: sanitizeFilename(options.fileToken),
    mimeType: options.mimeType ?? null,
  });
  // The token folder also holds the `versions/` folder of a drive file's earlier versions: a file
  // of that name (in any case, for case-insensitive disks) is told apart by its token.
  return name.toLowerCase() === VERSIONS_FOLDER ? `${name} (${sanitizeFilename(options.fileToken)})` : name;
}

/** `<title> (<token>)`: titles change and repeat, tokens make the folder unique and findable. */
export function documentFolderName(title: string | null, token: string): string {
  const t = sanitizeFilename(token, { fallback: 'document', maxBytes: 64 });
  const room = 200 - Buffer.byteLength(t) - 3;
  return `${sanitizeFilename(title ?? '', { fallback: 'untitled', maxBytes: Math.max(16, room) })} (${t})`;
}
