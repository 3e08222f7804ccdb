import type { Root } from './types.js';

/** What a browser URL names, or why it cannot be used. */
export type UrlParse = { ok: true; root: Root } | { ok: false; problem: string };

const TOKEN = /^[A-Za-z0-9_-]{5,}$/;

/** Document kinds the Open API cannot export media from; kept as roots so the crawl reports them. */
const UNSUPPORTED: Record<string, { kind: 'doc' | 'mindnote' | 'slides'; reason: string }> = {
  docs: {
    kind: 'doc',
    reason:
      'an old-format "doc" document: its media cannot be listed through the Open API; upgrade it to a new document (docx) in Feishu, then use the new URL',
  },
  doc: {
    kind: 'doc',
    reason:
      'an old-format "doc" document: its media cannot be listed through the Open API; upgrade it to a new document (docx) in Feishu, then use the new URL',
  },
  mindnote: { kind: 'mindnote', reason: 'a mind note: the Open API has no way to read its content' },
  mindnotes: { kind: 'mindnote', reason: 'a mind note: the Open API has no way to read its content' },
  slides: { kind: 'slides', reason: 'a slides document: the Open API has no way to read its content' },
};

/**
 * Turns a URL copied from the Feishu/Lark web app into a root. Hosts are not checked (tenants have
 * their own domains: `acme.feishu.cn`, `acme.larksuite.com`, private deployments); the path decides.
 */
export function parseRootUrl(input: string): UrlParse {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, problem: `"${input}" is not a URL; copy the address from the browser's address bar` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: `"${input}" is not an http(s) URL` };
  }
  const parts = url.pathname.split('/').filter(Boolean);
  const [first, second, third] = parts;
  const bad = (why: string): UrlParse => ({ ok: false, problem: `"${input}": ${why}` });
  const withToken = (t: string | undefined, what: string, make: (t: string) => Root): UrlParse =>
    t && TOKEN.test(t) ? { ok: true, root: make(t) } : bad(`no ${what} token found in the path`);

  switch (first) {
    case 'docx':
      return withToken(second, 'document', (t) => ({ type: 'docx', token: t }));
    case 'sheets':
      return withToken(second, 'spreadsheet', (t) => ({ type: 'sheet', token: t }));
    case 'base':
      return withToken(second, 'base', (t) => ({ type: 'bitable', token: t }));
    case 'file':
      return withToken(second, 'file', (t) => ({ type: 'file', token: t }));
    case 'drive':
      if (second === 'folder') return withToken(third, 'folder', (t) => ({ type: 'folder', token: t }));
      return bad(
        'only folder URLs (…/drive/folder/<token>) can be used from Drive; open the folder and copy its URL',
      );
    case 'wiki': {
      if (second === 'settings' || second === 'space') {
        if (third && /^\d+$/.test(third)) return { ok: true, root: { type: 'wiki', spaceId: third } };
        return bad('no wiki space id in the path');
      }
      return withToken(second, 'wiki page', (t) => ({ type: 'wiki_node', nodeToken: t }));
    }
    default: {
      const unsupported = first ? UNSUPPORTED[first] : undefined;
      if (unsupported && second) {
        return {
          ok: true,
          root: { type: 'unsupported', kind: unsupported.kind, token: second, reason: unsupported.reason },
        };
      }
      return bad(
        'not a Feishu/Lark document, folder or wiki URL (expected /docx/, /sheets/, /base/, /drive/folder/, /wiki/ or /wiki/settings/ in the path)',
      );
    }
  }
}
