import type { DocumentRepo, DocumentRow } from '../inventory/documents.js';
import type { Db } from '../inventory/open.js';
import type { DocType, Target } from '../sources/types.js';
import type { Tally } from './tally.js';

/** A document to read: as it was found, and its inventory row. */
export interface Job {
  target: Target;
  row: DocumentRow;
}

/** What meeting a document gave: its row id, and a job when it asks for more than was asked before. */
export interface Meeting {
  id: number;
  job: Job | undefined;
}

/** A document this run met, and the reads asked of it: whole, or limited to these sheets or tables. */
interface Visit {
  id: number;
  whole: boolean;
  scopes: Set<string>;
}

export const keyOf = (target: Target): string => `${target.type}:${target.token}`;

/** The documents one crawl has met, each recorded in the inventory when first met. */
export class Visits {
  /** `type:token` -> the document, for every document this run met. */
  readonly #met = new Map<string, Visit>();

  /** @param seenAs who this crawl reads as, recorded on each document: 'tenant' or 'user:<open_id>'. */
  constructor(
    private readonly db: Db,
    private readonly docs: DocumentRepo,
    private readonly runId: number,
    private readonly seenAs: () => string,
    private readonly tally: Tally,
  ) {}

  /**
   * Records a document when this run meets it, with a job when it asks for more than was asked
   * before (the whole spreadsheet after one of its sheets); synchronous so it can join a page's transaction.
   */
  meet(target: Target, parentId: number | undefined, rootId: number | undefined): Meeting {
    const key = keyOf(target);
    const seen = this.#met.get(key);
    if (seen && (seen.whole || (target.scope !== undefined && seen.scopes.has(target.scope))))
      return { id: seen.id, job: undefined };
    if (!seen) this.tally.count(target.type, 'found');
    const row = this.docs.see({ ...target, parentId, rootId, seenAs: this.seenAs() }, this.runId);
    const visit = seen ?? { id: row.id, whole: false, scopes: new Set<string>() };
    if (target.scope === undefined) visit.whole = true;
    else visit.scopes.add(target.scope);
    this.#met.set(key, visit);
    return { id: visit.id, job: { target, row } };
  }

  /** Whether this run met the document whole (a read of it answers reads limited to its sheets). */
  metWhole(target: Target): boolean {
    return this.#met.get(keyOf(target))?.whole ?? false;
  }

  /**
   * Documents found inside one that is not read this time still get visited, whole: what a document
   * embeds is read whole (src/sources/docx/extract.ts), and `documents.scope` only says a root once
   * named one of its sheets.
   */
  knownChildren(row: DocumentRow): (Job | undefined)[] {
    return this.db.transaction(() =>
      this.docs
        .children(row.id)
        .map(
          (c) =>
            this.meet(
              { type: c.type as DocType, token: c.token, title: c.title ?? undefined },
              row.id,
              row.root_id ?? undefined,
            ).job,
        ),
    )();
  }
}
