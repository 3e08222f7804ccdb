import type { Db } from '../inventory/open.js';
import { extensionForMime } from '../naming/mime-extensions.js';
import { sanitizeFilename } from '../naming/sanitize-filename.js';

/**
 * The file name of a whiteboard image, which the export API does not give: the board's own title
 * when the inventory has one, else `<title of the document it sits in> - whiteboard`, else the board
 * token; the extension follows the image's MIME type (PNG when unknown). Sanitised like every name.
 * Two boards of one document share the name; `by-document` then adds the token prefix (LAYOUT.md).
 */
export function boardFileName(
  db: Db,
  board: { id: number; fileToken: string },
  mimeType?: string | null,
): string {
  const own = db
    .prepare<[string], { title: string }>(
      "SELECT title FROM documents WHERE type = 'board' AND token = ? AND title IS NOT NULL AND title <> ''",
    )
    .get(board.fileToken)?.title;
  const host = own
    ? undefined
    : db
        .prepare<[number], { title: string }>(
          `SELECT d.title FROM media_refs r JOIN documents d ON d.id = r.document_id
           WHERE r.media_id = ? AND d.title IS NOT NULL AND d.title <> ''
           ORDER BY r.gone_at IS NOT NULL, r.id LIMIT 1`,
        )
        .get(board.id)?.title;
  const stem = own ?? (host ? `${host} - whiteboard` : board.fileToken);
  const ext = extensionForMime(mimeType) ?? '.png';
  const fallback = sanitizeFilename(board.fileToken, { fallback: 'whiteboard', maxBytes: 180 });
  // The stem alone is sanitised (a title may end in what looks like an extension), then the real one added.
  return sanitizeFilename(stem, { fallback, maxBytes: 180 }) + ext;
}
