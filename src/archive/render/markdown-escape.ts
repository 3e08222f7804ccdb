/**
 * Escaping for text that came from a document, so that it shows as written and never turns into
 * Markdown structure or raw HTML. CommonMark lets a backslash escape any ASCII punctuation, so the
 * question is only which characters need it; escaping too little corrupts, too much only looks busy.
 */

// Meaningful anywhere in a line: emphasis, code, links, images, tables, HTML (`<`; a lone `>` only
// matters at a line start), strikethrough, and `$`, which GitHub and most viewers read as math.
const INLINE_SPECIAL = /[\\`*[\]<|~$]/g;
// `_` only opens or closes emphasis when it is not inside a word.
const LOOSE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
// `&name;` and `&#123;` would be read as character references.
const ENTITY_LIKE = /&(?=#?[a-zA-Z0-9]+;)/g;
// A run ending in `!` followed by a link run would read as an image: `![text](url)`.
const TRAILING_BANG = /!$/;

/** Escapes inline-significant characters; use {@link escapeLineStart} for the start of a line. */
export function escapeInline(text: string): string {
  return text
    .replace(INLINE_SPECIAL, (ch) => `\\${ch}`)
    .replace(LOOSE_UNDERSCORE, '\\_')
    .replace(ENTITY_LIKE, '\\&')
    .replace(TRAILING_BANG, '\\!');
}

/**
 * Escapes what only matters at the start of a line (headings, quotes, list markers, thematic breaks,
 * setext underlines, indented code, and a table's delimiter row such as `:---` under a line holding a
 * `|`), on already inline-escaped text.
 */
export function escapeLineStart(text: string): string {
  // Four leading spaces would make an indented code block; a non-breaking space keeps the look.
  if (/^(?: {4}| {0,3}\t)/.test(text)) return '\u00a0' + text.slice(1);
  return text.replace(/^(\s*)([#>+=:-])/, '$1\\$2').replace(/^(\s*\d{1,9})([.)])/, '$1\\$2');
}

/** An inline code span holding `text` verbatim, with a fence longer than any backtick run inside. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || /^ .* $/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block whose fence cannot be closed by the content. */
export function codeBlock(content: string, language: string): string {
  const longest = Math.max(0, ...(content.match(/^ {0,3}`{3,}/gm) ?? []).map((run) => run.trim().length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${content}\n${fence}`;
}

/** Schemes a reader can safely follow from a backup view. */
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:', 'ftp:']);

/**
 * A document's link URL as a Markdown link destination, or `undefined` when it is not a URL a
 * reader should be offered as a link (`javascript:`, `data:`, unparsable). Feishu percent-encodes
 * link URLs once more than a browser would, so they are decoded first.
 */
export function safeLinkDestination(rawUrl: string): string | undefined {
  let url = rawUrl.trim();
  try {
    url = decodeURIComponent(url);
  } catch {
    // Not percent-encoded after all: use it as given.
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!SAFE_SCHEMES.has(parsed.protocol)) return undefined;
  // Characters that would end or break `(...)` are encoded; the URL means the same to a browser.
  return url.replace(
    /[\s()<>\\]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
