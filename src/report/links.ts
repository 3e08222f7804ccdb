import path from 'node:path';
import { pathToFileURL } from 'node:url';

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
  return rel
    .split(path.sep)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
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
