/**
 * What `documents.crawled_revision` says the inventory holds of a document: all of it at a revision
 * (`rev:5`, after a whole read), or only some of its sheets at one (`rev:5@sid1,sid2`, after reads
 * limited to those sheets by a root's `sheetId`). A scoped read never records the bare revision, or a
 * whole read of the same revision would skip the sheets nobody read.
 * Revisions (`rev:N`, `mtime:N`) and sheet or table ids (`[A-Za-z0-9_-]`) hold no `@` or `,`.
 */

/** The key of one pass: the revision for a whole read, `revision@scope` for a scoped one (its snapshot's too). */
export function passKey(revision: string, scope: string | undefined): string {
  return scope === undefined ? revision : `${revision}@${scope}`;
}

/**
 * The key of the earlier pass whose content already answers a read of `scope` (undefined: the whole
 * document) at `revision`, or undefined when the document must be read. A whole read answers any scope.
 */
export function heldPass(
  crawled: string | null,
  revision: string,
  scope: string | undefined,
): string | undefined {
  if (crawled === revision) return revision;
  if (scope === undefined) return undefined;
  const held = parse(crawled);
  return held?.revision === revision && held.scopes.includes(scope) ? passKey(revision, scope) : undefined;
}

/** `crawled_revision` after a complete pass of `scope` (undefined: whole) at `revision`. */
export function afterPass(
  crawled: string | null,
  revision: string | null,
  scope: string | undefined,
): string | null {
  if (revision === null || scope === undefined) return revision;
  // Read whole at this revision already (the pass was only taken again for a missing snapshot).
  if (crawled === revision) return revision;
  const held = parse(crawled);
  const scopes = held?.revision === revision ? held.scopes.filter((s) => s !== scope) : [];
  return `${revision}@${[...scopes, scope].join(',')}`;
}

function parse(crawled: string | null): { revision: string; scopes: string[] } | undefined {
  const at = crawled?.lastIndexOf('@') ?? -1;
  if (!crawled || at <= 0) return undefined;
  return { revision: crawled.slice(0, at), scopes: crawled.slice(at + 1).split(',') };
}
