/**
 * The kinds of document a docx page can embed or mention whose export the archive may hold. Sheets
 * and bitables are exported as CSV, whiteboards as an image; the others are linked when a resolver
 * knows a local copy.
 */
export type EmbeddedDocumentType =
  | 'sheet'
  | 'bitable'
  | 'board'
  | 'mindnote'
  | 'docx'
  | 'doc'
  | 'file'
  | 'slides'
  | 'wiki';

/**
 * Where the backed-up copies live, relative to the file being rendered. The renderers never touch
 * the disk: the caller (which knows the archive layout and the inventory) answers these questions.
 *
 * Paths use `/` separators and are not URL-encoded; the renderer encodes them for the link.
 */
export interface LinkResolver {
  /** Relative path of a downloaded image or attachment, or `undefined` when it is not backed up. */
  media(fileToken: string): string | undefined;
  /**
   * Relative path of an embedded document's export (a sheet or bitable CSV, a whiteboard image), or
   * `undefined` when none exists. `token` is exactly as the block carries it, e.g. a sheet block's
   * `<spreadsheetToken>_<sheetId>`.
   */
  document(type: EmbeddedDocumentType, token: string): string | undefined;
  /** Display name of a mentioned user; `undefined` falls back to the user id. */
  user?(userId: string): string | undefined;
}

/** A resolver that knows nothing: every media reference renders as "not backed up". */
export const noLinks: LinkResolver = {
  media: () => undefined,
  document: () => undefined,
};

// Kept readable in the raw Markdown: letters and digits of any script, plus the URL characters that
// cannot end or redirect a link. Everything else (spaces, parentheses, `%`, `#`, `?`, `:`) is
// percent-encoded, so a hostile file name cannot become `javascript:...` or break out of `(...)`.
const KEEP = /[\p{L}\p{N}\p{M}\-._~!$&'*+,;=@]/u;

/**
 * A relative path as a Markdown link destination: each segment percent-encoded where needed.
 * A colon is always encoded, so the first segment can never read as a URL scheme.
 */
export function encodeLinkPath(relativePath: string): string {
  return relativePath
    .split('/')
    .map((segment) =>
      Array.from(segment)
        .map((ch) => (KEEP.test(ch) ? ch : encodeChar(ch)))
        .join(''),
    )
    .join('/');
}

function encodeChar(ch: string): string {
  try {
    return encodeURIComponent(ch);
  } catch {
    // A lone surrogate cannot be encoded; U+FFFD keeps the link well-formed.
    return '%EF%BF%BD';
  }
}
