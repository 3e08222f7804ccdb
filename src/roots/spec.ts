import type { Root } from './types.js';

/** A stable identity for a root (the `roots.spec` column): sorted-key JSON. */
export function rootSpec(root: Root): string {
  const sorted = Object.fromEntries(Object.entries(root).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify(sorted);
}

/** The id a root is known by (its token or space id), for the `roots.token` column and messages. */
export function rootToken(root: Root): string {
  switch (root.type) {
    case 'wiki':
      return root.spaceId;
    case 'wiki_node':
      return root.nodeToken;
    case 'my-space':
    case 'my-library':
    case 'wiki-spaces':
      return root.type;
    default:
      return root.token;
  }
}
