import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Path separators of this platform: a backslash is an ordinary character in a POSIX file name. */
const SEPARATOR = path.sep === '\\' ? /[\\/]/ : /\//;
const NEEDS_RESOLVE =
  path.sep === '\\'
    ? /(^|[\\/])\.\.?([\\/]|$)|^[\\/]|^[a-zA-Z]:|[\\/]{2}|^$|[\\/]$/
    : /(^|\/)\.\.?(\/|$)|^\/|\/\/|^$|\/$/;

/**
 * A function giving each media path its `href` from a page at `reportPath` (see relativeHref), with
 * the part common to every file (report folder -> outputDir) worked out once: 100,000 files.
 */
export function hrefMaker(reportPath: string, outputDir: string): (mediaPath: string) => string {
  const base = path.relative(path.dirname(path.resolve(reportPath)), path.resolve(outputDir));
  if (path.isAbsolute(base)) return (mediaPath) => relativeHref(reportPath, outputDir, mediaPath);
  const prefix = base === '' ? '' : `${encodeSegments(base)}/`;
  return (mediaPath) =>
    // Plain downward paths take the fast road; anything with `..`, `.` or a root goes the long way.
    NEEDS_RESOLVE.test(mediaPath)
      ? relativeHref(reportPath, outputDir, mediaPath)
      : prefix + encodeSegments(mediaPath);
}

function encodeSegments(p: string): string {
  return p
    .split(SEPARATOR)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * The `href` that opens `outputDir/mediaPath` from a page at `reportPath`. Relative, so the report
 * keeps working when the whole backup folder is moved or copied to an auditor's laptop. Each segment
 * is percent-encoded, which also means no hostile file name can turn into a `javascript:` URL or
 * smuggle a `?` or `#` into the link.
 */
export function relativeHref(reportPath: string, outputDir: string, mediaPath: string): string {
  const target = path.resolve(outputDir, mediaPath);
  const rel = path.relative(path.dirname(path.resolve(reportPath)), target);
  // Different Windows drives have no relative path; an absolute file: URL is the honest fallback.
  if (path.isAbsolute(rel)) return pathToFileURL(target).href;
  return encodeSegments(rel);
}

/** The URL when it is http(s); null for anything else a server might send (javascript:, data:). */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The host of the Open API base URL, e.g. `open.feishu.cn`; the raw value when it does not parse. */
export function tenantDomain(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
