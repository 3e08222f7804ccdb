import { extensionForMime } from './mime-extensions.js';

/**
 * Turns a name from the server (content-disposition, a bitable cell, a document title) into one
 * path segment that is safe on Linux, macOS and Windows, so a backup can be copied anywhere:
 * - never a path: `/` `\` and the Windows-reserved `<>:"|?*` become `_`, and so do control characters;
 * - never `.`/`..`, never hidden (leading dots dropped), never ending in a dot or space (Windows trims them);
 * - never a Windows device name (`CON`, `nul.txt`, `COM1`...): prefixed with `_`;
 * - at most `maxBytes` UTF-8 bytes, cut on a code point, keeping a short extension;
 * - never empty (`fallback`), NFC-normalised, and stable: sanitising a sanitised name changes nothing.
 */
export interface SanitizeOptions {
  /** Used when nothing usable is left. @default 'file' */
  fallback?: string;
  /**
   * Bytes of UTF-8 allowed. Below the usual 255 so a collision suffix (` (abcdefgh)`) still fits.
   * @default 200
   */
  maxBytes?: number;
  /** Adds the extension of this MIME type when the name has none. */
  mimeType?: string | null;
}

const UNSAFE = /[\x00-\x1f\x7f-\x9f/\\<>:"|?*\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)/i;
const MAX_EXTENSION_BYTES = 16;

export function sanitizeFilename(input: string, options: SanitizeOptions = {}): string {
  const maxBytes = options.maxBytes ?? 200;
  if (!Number.isInteger(maxBytes) || maxBytes < 16 || maxBytes > 255) {
    throw new TypeError(`Expected \`maxBytes\` to be an integer in [16, 255], got ${maxBytes}`);
  }
  const fallback = options.fallback === undefined ? 'file' : clean(options.fallback, maxBytes);
  let name = clean(input, maxBytes);
  if (name === '') name = fallback === '' ? 'file' : fallback;
  if (!extensionOf(name)) {
    const ext = extensionForMime(options.mimeType);
    if (ext) name = truncate(name, maxBytes - byteLength(ext)) + ext;
  }
  return name;
}

function clean(input: string, maxBytes: number): string {
  let name = trimEdges(input.normalize('NFC').replace(UNSAFE, '_'));
  if (byteLength(name) > maxBytes) name = shorten(name, maxBytes);
  if (RESERVED.test(name)) {
    name = `_${name}`;
    // `_` cannot start a reserved name, so shortening again keeps it safe.
    if (byteLength(name) > maxBytes) name = shorten(name, maxBytes);
  }
  return name;
}

/** Cuts the stem, keeping a short extension, then re-trims what the cut exposed. */
function shorten(name: string, maxBytes: number): string {
  const ext = extensionOf(name) ?? '';
  const stem = name.slice(0, name.length - ext.length);
  return trimEdges(trimEdges(truncate(stem, maxBytes - byteLength(ext))) + ext);
}

/** Leading dots and spaces (hidden files, `..`), trailing dots and spaces (Windows drops them). */
function trimEdges(name: string): string {
  return name.replace(/^[.\s]+/u, '').replace(/[.\s]+$/u, '');
}

/** `.png` from `photo.png`: a short run of letters/digits after the last dot, not the whole name. */
function extensionOf(name: string): string | undefined {
  const m = /(\.[\p{L}\p{N}_-]+)$/u.exec(name);
  if (!m || m.index === 0) return undefined;
  return byteLength(m[1]!) <= MAX_EXTENSION_BYTES ? m[1] : undefined;
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The longest prefix of whole code points that fits in `maxBytes` UTF-8 bytes. */
function truncate(s: string, maxBytes: number): string {
  if (byteLength(s) <= maxBytes) return s;
  let out = '';
  let bytes = 0;
  for (const cp of s) {
    const b = byteLength(cp);
    if (bytes + b > maxBytes) break;
    out += cp;
    bytes += b;
  }
  return out;
}
