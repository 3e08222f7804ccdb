import type { FeishuClient } from '../feishu/client.js';
import type { Checkpoint } from '../inventory/checkpoints.js';
import type { FoundRef } from '../inventory/media-refs.js';
import type { Unbackable } from '../inventory/unbackable.js';

/** Every kind of thing the crawl records in `documents.type`. */
export type DocType =
  | 'folder'
  /** The signed-in user's My Space: resolves to its root folder. */
  | 'my_space'
  /** Every wiki space the identity can list. */
  | 'wiki_spaces'
  | 'wiki_space'
  | 'wiki_node'
  | 'docx'
  | 'sheet'
  | 'bitable'
  | 'bitable_table'
  | 'board'
  | 'file'
  | 'doc'
  | 'mindnote'
  | 'slides';

/** A document to crawl, as whoever found it describes it. */
export interface Target {
  type: DocType;
  token: string;
  title?: string | undefined;
  url?: string | undefined;
  /** The change key the listing gave (drive `modified_time`, wiki `obj_edit_time`), prefixed by its kind. */
  listedRevision?: string | undefined;
  /** Limits the crawl: a sheet id for a spreadsheet, a table id for a bitable. */
  scope?: string | undefined;
  /**
   * Where the parent holds it, kept on the link (`document_links.via`): e.g. `reference_synced:<block>`
   * for the source of a synced block, `sheet:<sheetId>` for a base embedded in a spreadsheet.
   */
  via?: string | undefined;
  /** Source-specific context, e.g. a wiki node's space id. */
  meta?: Record<string, string> | undefined;
}

/** One page of results: written with its checkpoint in one transaction. */
export interface SourcePage {
  children?: Target[];
  refs?: FoundRef[];
  /** Media-shaped objects on the page that nothing can download (no token, unknown type). */
  unbackable?: Unbackable[];
  /** Where to resume after this page; undefined when the document is finished. */
  next?: Checkpoint | undefined;
  /** The page's raw API content, kept in the document's snapshot (src/archive/snapshots/assemble.ts). */
  snapshot?: unknown;
  /** The document's own title, when what the read asks anyway names it (a base's app info). */
  title?: string | undefined;
}

export interface SourceContext {
  client: FeishuClient;
  signal?: AbortSignal | undefined;
  /** Snapshots are on: read whole content (every bitable field, tables without attachments too). */
  snapshots?: boolean | undefined;
}

/** What a cheap revision check learnt; `memo` is handed to `read` so it need not ask again. */
export interface RevisionProbe {
  revision?: string | undefined;
  title?: string | undefined;
  memo?: unknown;
}

/**
 * One document kind behind one interface (renovate's datasources, rclone's backends). A source pages
 * its own endpoints and yields pages; it never touches the inventory.
 */
export interface Source {
  readonly type: DocType;
  /**
   * The document's revision when the listing did not give one; absent for containers that are
   * always listed again (folders, wiki nodes), whose children carry their own revisions.
   */
  revision?(ctx: SourceContext, target: Target): Promise<RevisionProbe>;
  /** Reads the document from `from` (or the start), one page at a time. */
  read(
    ctx: SourceContext,
    target: Target,
    from: Checkpoint | undefined,
    memo: unknown,
  ): AsyncIterable<SourcePage>;
}
