import type { DocumentRow } from '../inventory/documents.js';
import type { DocType, Target } from '../sources/types.js';
import { type CrawlRun, type Job, keyOf } from './crawl-run.js';

/**
 * Records a document when this run meets it, and returns a job when it asks for more than was asked
 * before (the whole spreadsheet after one of its sheets); synchronous so it can join a page's transaction.
 */
export function discover(
  run: CrawlRun,
  target: Target,
  parentId: number | undefined,
  rootId: number | undefined,
): Job | undefined {
  const key = keyOf(target);
  const seen = run.visited.get(key);
  if (seen && (seen.whole || (target.scope !== undefined && seen.scopes.has(target.scope)))) return undefined;
  if (!seen) run.tally.count(target.type, 'found');
  const row = run.docs.see({ ...target, parentId, rootId, seenAs: run.seenAs }, run.runId);
  const visit = seen ?? { id: row.id, whole: false, scopes: new Set<string>() };
  if (target.scope === undefined) visit.whole = true;
  else visit.scopes.add(target.scope);
  run.visited.set(key, visit);
  return { target, row };
}

/**
 * Documents found inside one that is not read this time still get visited, whole: what a document
 * embeds is read whole (src/sources/docx/extract.ts), and `documents.scope` only says a root once
 * named one of its sheets.
 */
export function knownChildren(run: CrawlRun, row: DocumentRow): (Job | undefined)[] {
  return run.db.transaction(() =>
    run.docs
      .children(row.id)
      .map((c) =>
        discover(
          run,
          { type: c.type as DocType, token: c.token, title: c.title ?? undefined },
          row.id,
          row.root_id ?? undefined,
        ),
      ),
  )();
}
