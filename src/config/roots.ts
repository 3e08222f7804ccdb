import { didYouMean } from './did-you-mean.js';
import { parseRootUrl } from './root-url.js';
import type { Root } from './types.js';

const TOKEN = /^[A-Za-z0-9_-]+$/;
const ROOT_TYPES = [
  'folder',
  'wiki',
  'docx',
  'sheet',
  'bitable',
  'file',
  'my-space',
  'my-library',
  'wiki-spaces',
] as const;
const KEYS_BY_TYPE: Record<(typeof ROOT_TYPES)[number], readonly string[]> = {
  folder: ['type', 'token'],
  wiki: ['type', 'spaceId'],
  docx: ['type', 'token'],
  sheet: ['type', 'token', 'sheetId'],
  bitable: ['type', 'token', 'tableId'],
  file: ['type', 'token'],
  'my-space': ['type'],
  'my-library': ['type'],
  'wiki-spaces': ['type'],
};

export type RootParse = { ok: true; root: Root } | { ok: false; problems: string[] };

/**
 * One entry of `roots`: `{"url": ...}` or `{"type": ..., <id>}`. Returns every problem of the entry.
 * Keys starting with `$` are comments and were stripped before this point.
 */
export function parseRoot(raw: unknown, at: string): RootParse {
  if (typeof raw === 'string') {
    // A bare URL string is the obvious shorthand; accept it rather than make the user wrap it.
    return fromUrl(raw, at);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail(
      `${at}: expected an object such as {"url": "https://…/docx/…"} or {"type": "folder", "token": "…"}`,
    );
  }
  const obj = raw as Record<string, unknown>;
  if ('url' in obj) {
    const extra = Object.keys(obj).filter((k) => k !== 'url');
    if (extra.length > 0)
      return fail(`${at}: a URL root takes only "url"; remove ${extra.map((k) => `"${k}"`).join(', ')}`);
    if (typeof obj.url !== 'string') return fail(`${at}.url: expected a string (the document's address)`);
    return fromUrl(obj.url, `${at}.url`);
  }
  const type = obj.type;
  if (typeof type !== 'string' || !(ROOT_TYPES as readonly string[]).includes(type)) {
    const hint = typeof type === 'string' ? didYouMean(type, ROOT_TYPES) : undefined;
    return fail(
      `${at}.type: expected one of ${ROOT_TYPES.map((t) => `"${t}"`).join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}, or give {"url": "…"} instead`,
    );
  }
  const t = type as (typeof ROOT_TYPES)[number];
  const problems: string[] = [];
  const known = KEYS_BY_TYPE[t];
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const hint = didYouMean(key, known);
    problems.push(
      `${at}: unknown key "${key}" for a ${t} root${hint ? ` (did you mean "${hint}"?)` : ''}; remove it`,
    );
  }
  const id = (key: string, pattern: RegExp, what: string): string => {
    const v = obj[key];
    if (typeof v === 'number') {
      problems.push(
        `${at}.${key}: write the ${what} as a string in quotes; JSON numbers this long lose digits`,
      );
      return '';
    }
    if (typeof v !== 'string' || !pattern.test(v)) {
      problems.push(
        `${at}.${key}: expected the ${what} (${v === undefined ? 'missing' : 'not a valid id'}); copy it from the URL, or use {"url": "…"}`,
      );
      return '';
    }
    return v;
  };
  let root: Root;
  switch (t) {
    case 'wiki':
      root = { type: 'wiki', spaceId: id('spaceId', /^\d+$/, 'wiki space id (digits)') };
      break;
    case 'sheet': {
      root = { type: 'sheet', token: id('token', TOKEN, 'spreadsheet token') };
      if (obj.sheetId !== undefined) root.sheetId = id('sheetId', TOKEN, 'sheet id');
      break;
    }
    case 'bitable': {
      root = { type: 'bitable', token: id('token', TOKEN, 'base (app) token') };
      if (obj.tableId !== undefined) root.tableId = id('tableId', TOKEN, 'table id');
      break;
    }
    case 'my-space':
    case 'my-library':
    case 'wiki-spaces':
      root = { type: t };
      break;
    default:
      root = { type: t, token: id('token', TOKEN, `${t} token`) };
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, root };
}

function fromUrl(url: string, at: string): RootParse {
  const parsed = parseRootUrl(url);
  return parsed.ok ? { ok: true, root: parsed.root } : fail(`${at}: ${parsed.problem}`);
}

function fail(problem: string): RootParse {
  return { ok: false, problems: [problem] };
}

export { rootSpec, rootToken } from '../roots/spec.js';
