import type { FakeUser, Tenant, WikiSpace } from '../model.js';
import { addFolder } from './drive.js';
import { idRng } from './tenant.js';
import { addWikiSpace } from './wiki.js';

/**
 * The person who can sign in: their My Space (a folder) and personal library (a wiki space) are
 * visible to them and not to the app. Put documents in `user.rootFolderToken` and mark each with
 * `hideFromApp` so the tenant token cannot read them either.
 */
export function addUser(tenant: Tenant, options: { name?: string } = {}): FakeUser {
  const root = addFolder(tenant, { name: 'My Space' });
  // My Space is not a folder of the tenant's root: it has its own top.
  root.parentToken = '';
  const library = addWikiSpace(tenant, { name: 'My library' });
  library.spaceType = 'person';
  const user: FakeUser = {
    openId: `ou_${idRng(tenant).token('user')}`,
    name: options.name ?? 'Zhang San',
    rootFolderToken: root.token,
    librarySpaceId: library.spaceId,
    memberSpaceIds: [],
  };
  tenant.user = user;
  hideFromApp(tenant, root.token, library.spaceId);
  return user;
}

/** Only the signed-in user can see these tokens (folders, documents, media, wiki spaces). */
export function hideFromApp(tenant: Tenant, ...tokens: string[]): void {
  tenant.userOnly ??= new Set();
  for (const t of tokens) tenant.userOnly.add(t);
}

/** The user is a member of `space` (it shows in their spaces list). */
export function joinSpace(tenant: Tenant, space: WikiSpace): void {
  tenant.user?.memberSpaceIds.push(space.spaceId);
}
