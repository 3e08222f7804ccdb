import type { DriveEntry, DriveType, Tenant } from '../model.js';
import { Rng } from '../rng.js';

/**
 * Helpers for tests that build a precise tenant by hand. Ids come from a per-tenant seeded RNG, so a
 * tenant built by the same calls is the same tenant.
 */

const rngs = new WeakMap<Tenant, Rng>();
/** 2026-01-01T00:00:00Z, in seconds: a fixed "now" keeps generated tenants deterministic. */
export const EPOCH_SECONDS = 1_767_225_600;

export function idRng(tenant: Tenant): Rng {
  let rng = rngs.get(tenant);
  if (!rng) {
    rng = new Rng(tenant.seed * 7919 + 17);
    rngs.set(tenant, rng);
  }
  return rng;
}

export function emptyTenant(options: { seed?: number; appId?: string; appSecret?: string } = {}): Tenant {
  const seed = options.seed ?? 1;
  const tenant: Tenant = {
    seed,
    appId: options.appId ?? `cli_fake${seed.toString(16).padStart(8, '0')}`,
    appSecret: options.appSecret ?? `fake-secret-${seed}`,
    rootFolderToken: '',
    drive: new Map(),
    wikiSpaces: [],
    docs: new Map(),
    sheets: new Map(),
    bitables: new Map(),
    boards: new Map(),
    media: new Map(),
  };
  tenant.rootFolderToken = idRng(tenant).token('nodcnRoot');
  tenant.rootFolderName = 'Team drive';
  return tenant;
}

/** Where a new document goes in the drive: a folder token, 'root', or null (not in the drive: wiki only). */
export type Placement = string | 'root' | null;

export function place(tenant: Tenant, token: string, name: string, type: DriveType, folder: Placement): void {
  if (folder === null) return;
  const parentToken = folder === 'root' ? tenant.rootFolderToken : folder;
  if (parentToken !== tenant.rootFolderToken && tenant.drive.get(parentToken)?.type !== 'folder') {
    throw new Error(`addTo: ${parentToken} is not a folder of this tenant`);
  }
  const t = EPOCH_SECONDS - idRng(tenant).int(0, 365 * 86400);
  const entry: DriveEntry = {
    token,
    name,
    type,
    parentToken,
    createdTime: t,
    modifiedTime: t + idRng(tenant).int(0, 86400 * 30),
    ownerId: 'ou_fakeowner',
  };
  tenant.drive.set(token, entry);
}
