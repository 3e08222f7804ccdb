import type { Db } from './open.js';

/**
 * Documents as people know them in Feishu: what a kind is called, what a document is titled and
 * where it opens. The inventory keeps the API's words (`wiki_node`, `bitable_table` with the token
 * `<app token>_<table id>`); everything shown to people or auditors goes through here.
 */

/**
 * Kinds that are documents: they hold content, or are a kind the API cannot read (counted as
 * skipped). Folders, wiki spaces and pages, base tables, whiteboards and drive files are counted
 * apart, as what they are.
 */
export const DOCUMENT_KINDS = ['docx', 'sheet', 'bitable', 'doc', 'mindnote', 'slides'] as const;

/** People's words, singular and plural, in the order lists show them. */
const WORDS: Record<string, [string, string]> = {
  docx: ['Document', 'Documents'],
  sheet: ['Spreadsheet', 'Spreadsheets'],
  bitable: ['Base', 'Bases'],
  doc: ['Old-style doc', 'Old-style docs'],
  mindnote: ['Mind note', 'Mind notes'],
  slides: ['Slides', 'Slides'],
  file: ['Drive file', 'Drive files'],
  folder: ['Folder', 'Folders'],
  wiki_space: ['Wiki space', 'Wiki spaces'],
  wiki_node: ['Wiki page', 'Wiki pages'],
  bitable_table: ['Base table', 'Base tables'],
  board: ['Whiteboard', 'Whiteboards'],
};

/** `Wiki page`, `Base tables`: never an internal type name; an unknown kind reads as itself. */
export function kindWord(type: string, count = 1): string {
  const w = WORDS[type];
  if (!w) return type.replace(/_/g, ' ');
  return count === 1 ? w[0] : w[1];
}

/** Display order: documents first, then what they sit in and are made of. */
export function kindOrder(type: string): number {
  const i = Object.keys(WORDS).indexOf(type);
  return i < 0 ? 99 : i;
}

export function isDocumentKind(type: string): boolean {
  return (DOCUMENT_KINDS as readonly string[]).includes(type);
}

/** `<app token>_<table id>` -> its parts (the token of a `bitable_table` row). */
export function splitTableToken(token: string): { app: string; table: string } {
  const at = token.lastIndexOf('_');
  return at > 0 ? { app: token.slice(0, at), table: token.slice(at + 1) } : { app: token, table: '' };
}

/**
 * The tenant's own web origin (`https://acme.feishu.cn`), from the first URL a listing gave (drive
 * listings carry each file's `url`). Null when no listing gave one: the API host is not where people
 * open documents, so no URL is made up from it.
 */
export function tenantOrigin(db: Db): string | null {
  const rows = db
    .prepare("SELECT url FROM documents WHERE url LIKE 'http%' ORDER BY id LIMIT 20")
    .pluck()
    .all() as string[];
  for (const url of rows) {
    try {
      return new URL(url).origin;
    } catch {
      // A malformed URL from the server: try the next.
    }
  }
  return null;
}

/** Web paths by kind, as Feishu's own links are (the drive listing's `url` field). */
const PATHS: Record<string, string> = {
  docx: 'docx',
  sheet: 'sheets',
  bitable: 'base',
  folder: 'drive/folder',
  // A space's home page, as its URL reads in the browser (the config accepts it as a root URL).
  wiki_space: 'wiki/space',
  wiki_node: 'wiki',
  file: 'file',
  doc: 'docs',
  mindnote: 'mindnotes',
  slides: 'slides',
};

export interface DocumentIdentity {
  type: string;
  token: string;
  /** The URL a listing gave for it. */
  url: string | null;
  /** The wiki node it sits under, if any: wiki documents open at /wiki/<node>. */
  wikiNode?: string | null;
}

/**
 * Where a person opens a document: the listing's own URL when there is one, else the tenant origin
 * and Feishu's path for the kind (a wiki document at its wiki page). A base table opens in its base
 * with `?table=<id>`; a sheet opens with `?sheet=<id>` when one is named.
 */
export function documentUrl(origin: string | null, doc: DocumentIdentity, sheetId?: string): string | null {
  if (doc.type === 'bitable_table') {
    const { app, table } = splitTableToken(doc.token);
    const base = documentUrl(origin, { type: 'bitable', token: app, url: null, wikiNode: doc.wikiNode });
    return base && table ? withQuery(base, 'table', table) : base;
  }
  // Only web addresses: a server-given `javascript:` or other scheme is never passed on.
  let url = doc.url && /^https?:\/\//i.test(doc.url) ? doc.url : null;
  if (!url && origin) {
    if (doc.wikiNode) url = `${origin}/wiki/${encodeURIComponent(doc.wikiNode)}`;
    else if (PATHS[doc.type]) url = `${origin}/${PATHS[doc.type]}/${encodeURIComponent(doc.token)}`;
  }
  if (!url) return null;
  return sheetId && doc.type === 'sheet' ? withQuery(url, 'sheet', sheetId) : url;
}

function withQuery(url: string, key: string, value: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;
}

/** `Roadmap / Tasks` for a base table, the document's own title otherwise, else its token. */
export function displayTitle(
  doc: { type: string; token: string; title: string | null },
  baseTitle?: string | null,
): string {
  if (doc.type === 'bitable_table') {
    const { app, table } = splitTableToken(doc.token);
    return `${baseTitle || app} / ${doc.title || table}`;
  }
  return doc.title || doc.token;
}

/** `Documents 20, Spreadsheets 2` and `5 folders, 4 base tables`: counts by kind in people's words. */
export function splitKinds(byType: Record<string, number>): {
  documents: number;
  documentKinds: [string, number][];
  otherKinds: [string, number][];
} {
  const entries = Object.entries(byType)
    .filter(([, n]) => n > 0)
    .sort((a, b) => kindOrder(a[0]) - kindOrder(b[0]) || a[0].localeCompare(b[0]));
  const documentKinds = entries.filter(([t]) => isDocumentKind(t));
  return {
    documents: documentKinds.reduce((n, [, c]) => n + c, 0),
    documentKinds,
    otherKinds: entries.filter(([t]) => !isDocumentKind(t)),
  };
}
