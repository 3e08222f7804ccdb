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

/** A document this run met only in part: the sheets or tables asked of it so far. */
interface ScopedVisit {
  id: number;
  scopes: Set<string>;
}

export const keyOf = (target: Target): string => `${target.type}:${target.token}`;

/** The documents one crawl has met, each recorded in the inventory when first met. */
export class Visits {
  /**
   * type -> token -> row id, for every document this run met whole: kept for the whole run, so one
   * small number per document, keyed by the token string the listing gave (no key built per document).
   */
  readonly #whole = new Map<DocType, Map<string, number>>();
  /** `type:token` -> the document, for the few met only limited to sheets or tables so far. */
  readonly #scoped = new Map<string, ScopedVisit>();

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
    const whole = this.#whole.get(target.type)?.get(target.token);
    if (whole !== undefined) return { id: whole, job: undefined };
    const key = keyOf(target);
    const part = this.#scoped.get(key);
    if (part && target.scope !== undefined && part.scopes.has(target.scope))
      return { id: part.id, job: undefined };
    if (!part) this.tally.count(target.type, 'found');
    const row = this.docs.see({ ...target, parentId, rootId, seenAs: this.seenAs() }, this.runId);
    const id = part?.id ?? row.id;
    if (target.scope === undefined) {
      this.#scoped.delete(key);
      const tokens = this.#whole.get(target.type) ?? new Map<string, number>();
      this.#whole.set(target.type, tokens.set(target.token, id));
    } else if (part) part.scopes.add(target.scope);
    else this.#scoped.set(key, { id, scopes: new Set([target.scope]) });
    return { id, job: { target, row } };
  }

  /** Whether this run met the document whole (a read of it answers reads limited to its sheets). */
  metWhole(target: Target): boolean {
    return this.#whole.get(target.type)?.has(target.token) ?? false;
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
