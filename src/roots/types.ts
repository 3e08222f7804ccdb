/**
 * A place to back up, after parsing. `wiki_node` comes from a wiki page URL and is resolved to its
 * space and object by the crawl (`get_node`); `unsupported` roots are recorded with their reason.
 * `my-space`, `my-library` and `wiki-spaces` name no token: what they stand for depends on who
 * signs in (the user's My Space and personal library, every wiki space the identity can list).
 * Lives apart from the config so the inventory and the crawl can name roots without importing it.
 */
export type Root =
  | { type: 'folder'; token: string }
  | { type: 'wiki'; spaceId: string }
  | { type: 'wiki_node'; nodeToken: string }
  | { type: 'docx'; token: string }
  | { type: 'sheet'; token: string; sheetId?: string }
  | { type: 'bitable'; token: string; tableId?: string }
  | { type: 'file'; token: string }
  | { type: 'my-space' }
  | { type: 'my-library' }
  | { type: 'wiki-spaces' }
  | { type: 'unsupported'; kind: 'doc' | 'mindnote' | 'slides'; token: string; reason: string };

/** Roots that name no token: their identity is their type. */
export const IDENTITY_ROOT_TYPES = ['my-space', 'my-library', 'wiki-spaces'] as const;
export type IdentityRootType = (typeof IDENTITY_ROOT_TYPES)[number];

/** Roots only a signed-in user can back up (`auth: "user"`). */
export const USER_ONLY_ROOT_TYPES: readonly Root['type'][] = ['my-space', 'my-library'];
