import { FEISHU_BASE_URL, LARK_BASE_URL } from '../feishu/base-urls.js';
import { FIXES } from './fixes.js';

export { FEISHU_BASE_URL, LARK_BASE_URL };

/** Accepts "feishu", "lark" or an http(s) URL; anything else is a problem and falls back to Feishu. */
export function normaliseBaseUrl(raw: unknown, problems: string[]): string {
  if (typeof raw !== 'string') return FEISHU_BASE_URL;
  const v = raw.trim();
  if (v.toLowerCase() === 'lark') return LARK_BASE_URL;
  if (v.toLowerCase() === 'feishu') return FEISHU_BASE_URL;
  try {
    const url = new URL(v);
    if (url.protocol === 'https:' || url.protocol === 'http:') return v.replace(/\/+$/, '');
  } catch {
    // fall through to the problem below
  }
  problems.push(`baseUrl: "${v}" is not a URL; ${FIXES.baseUrl}`);
  return FEISHU_BASE_URL;
}

/** A lark URL with the feishu base URL (or the reverse) fails on the first call; say so now. */
export function checkHostMatchesBaseUrl(roots: unknown, baseUrl: string, problems: string[]): void {
  if (!Array.isArray(roots)) return;
  for (const entry of roots) {
    const url = typeof entry === 'string' ? entry : (entry as { url?: unknown } | null)?.url;
    if (typeof url !== 'string' || !URL.canParse(url)) continue;
    const host = new URL(url).hostname;
    if (host.endsWith('.larksuite.com') && baseUrl === FEISHU_BASE_URL) {
      problems.push(`baseUrl: roots use larksuite.com URLs but baseUrl is Feishu's; set "baseUrl": "lark"`);
      return;
    }
    if (host.endsWith('.feishu.cn') && baseUrl === LARK_BASE_URL) {
      problems.push(
        `baseUrl: roots use feishu.cn URLs but baseUrl is Lark's; set "baseUrl": "feishu" or remove it`,
      );
      return;
    }
  }
}
