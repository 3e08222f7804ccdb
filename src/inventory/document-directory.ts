import { displayTitle, documentUrl, kindWord, splitTableToken, tenantOrigin } from './document-names.js';
import type { Db } from './open.js';

/** A document as a person opens it: the base (not the table row) for a base table. */
export interface OpenableDocument {
  /** `docx`, `sheet`, `bitable` (a base table is its base), `file`, `wiki_node`... */
  docType: string;
  /** The token in the document's own URL: the app token for a base table. */
  docToken: string;
  /** `Roadmap / Tasks` for a base table. */
  title: string;
  /** On the tenant's own domain, when a listing gave it; null otherwise. */
  url: string | null;
  /** What a person calls it: `Document`, `Base table`, `Wiki page`. */
  kind: string;
  /** For a base table, its table id (the first part of a source's location). */
  tableId?: string;
}

export interface RootIdentity {
  spec: string;
  title: string;
  url: string | null;
}

interface Row {
  id: number;
  type: string;
  token: string;
  title: string | null;
  url: string | null;
  root_id: number | null;
}

/**
 * Answers "which document is this, and where does it open?" for inventory rows, caching by id:
 * the export, the report and failure messages name documents the same way.
 */
export class DocumentDirectory {
  readonly origin: string | null;
  readonly #cache = new Map<number, OpenableDocument>();
  readonly #rootCache = new Map<number, RootIdentity | null>();
  readonly #row;
  readonly #byToken;
  readonly #wikiNode;
  readonly #root;

  constructor(db: Db) {
    this.origin = tenantOrigin(db);
    this.#row = db.prepare<[number], Row>(
      'SELECT id, type, token, title, url, root_id FROM documents WHERE id = ?',
    );
    this.#byToken = db.prepare<[string, string], Row>(
      'SELECT id, type, token, title, url, root_id FROM documents WHERE type = ? AND token = ?',
    );
    // A wiki document opens at its wiki page: the live node that links to it.
    this.#wikiNode = db
      .prepare<[number], string>(
        `SELECT n.token FROM document_links l JOIN documents n ON n.id = l.parent_id
          WHERE l.child_id = ? AND n.type = 'wiki_node' ORDER BY l.gone_run IS NOT NULL, n.id LIMIT 1`,
      )
      .pluck();
    this.#root = db.prepare<[number], { spec: string; document_id: number | null }>(
      'SELECT spec, document_id FROM roots WHERE id = ?',
    );
  }

  /** The openable document for an inventory document id; undefined for an unknown id. */
  get(id: number): OpenableDocument | undefined {
    const cached = this.#cache.get(id);
    if (cached) return cached;
    const row = this.#row.get(id);
    if (!row) return undefined;
    const doc = this.#describe(row);
    this.#cache.set(id, doc);
    return doc;
  }

  #describe(row: Row): OpenableDocument {
    if (row.type === 'bitable_table') {
      const { app, table } = splitTableToken(row.token);
      const base = this.#byToken.get('bitable', app);
      const wikiNode = base ? this.#wikiNode.get(base.id) : undefined;
      return {
        docType: 'bitable',
        docToken: app,
        title: displayTitle(row, base?.title),
        url: documentUrl(this.origin, { type: 'bitable_table', token: row.token, url: null, wikiNode }),
        kind: kindWord('bitable_table'),
        tableId: table,
      };
    }
    const wikiNode = row.type === 'wiki_node' ? undefined : this.#wikiNode.get(row.id);
    return {
      docType: row.type,
      docToken: row.token,
      title: displayTitle(row),
      url: documentUrl(this.origin, { type: row.type, token: row.token, url: row.url, wikiNode }),
      kind: kindWord(row.type),
    };
  }

  /** The URL of a source at `location` in this document (a sheet's cell opens its sheet). */
  sourceUrl(doc: OpenableDocument, location: string): string | null {
    if (doc.docType !== 'sheet' || !doc.url) return doc.url;
    const sheet = location.includes('!') ? location.slice(0, location.indexOf('!')) : undefined;
    return sheet ? documentUrl(null, { type: 'sheet', token: doc.docToken, url: doc.url }, sheet) : doc.url;
  }

  /** The root a document was found under, by its title and URL; null when it has none recorded. */
  rootOf(documentId: number): RootIdentity | null {
    const row = this.#row.get(documentId);
    return row?.root_id ? this.root(row.root_id) : null;
  }

  /** A root (roots.id) by its title and URL. */
  root(rootId: number): RootIdentity | null {
    if (this.#rootCache.has(rootId)) return this.#rootCache.get(rootId) ?? null;
    const root = this.#root.get(rootId);
    let identity: RootIdentity | null = null;
    if (root) {
      const doc = root.document_id ? this.get(root.document_id) : undefined;
      const own = root.document_id ? this.#row.get(root.document_id) : undefined;
      // A root folder or wiki space is in no listing, so often has no title: its kind and token name it.
      const title = own ? own.title || `${kindWord(own.type)} ${own.token}` : root.spec;
      identity = { spec: root.spec, title, url: doc?.url ?? null };
    }
    this.#rootCache.set(rootId, identity);
    return identity;
  }
}
