import type { DriveEntry, DriveType, Media, Tenant } from '../model.js';
import { addMedia } from './media.js';
import { idRng, type Placement, place } from './tenant.js';

export function addFolder(tenant: Tenant, options: { name: string; folder?: Placement }): DriveEntry {
  const token = idRng(tenant).token('fldcn');
  place(tenant, token, options.name, 'folder', options.folder ?? 'root');
  return tenant.drive.get(token)!;
}

export function addShortcut(
  tenant: Tenant,
  options: { name: string; targetToken: string; targetType: DriveType; folder?: Placement },
): DriveEntry {
  const token = idRng(tenant).token('nodcnShort');
  place(tenant, token, options.name, 'shortcut', options.folder ?? 'root');
  const entry = tenant.drive.get(token)!;
  entry.shortcut = { targetType: options.targetType, targetToken: options.targetToken };
  return entry;
}

/** A drive file (type=file): its bytes come from files/:token/download. */
export function addDriveFile(
  tenant: Tenant,
  options: { name: string; size?: number; mimeType?: string; folder?: Placement },
): Media {
  const media = addMedia(tenant, {
    token: idRng(tenant).token('boxcnFile'),
    name: options.name,
    size: options.size ?? 10_000,
    mimeType: options.mimeType ?? 'application/octet-stream',
    kind: 'file',
  });
  place(tenant, media.token, options.name, 'file', options.folder ?? 'root');
  return media;
}

/**
 * Someone uploads a new version of a drive file in Feishu: the token stays, the bytes change (version
 * n is generated from `<token>@v<n>`, see `mediaContentKey`), and the file's time moves to `at` (epoch
 * seconds; default one minute after its latest time) in the drive listing (`modified_time`) and on
 * every wiki node holding it (`obj_edit_time`). `size`, `name` and `mimeType` change with it when
 * given. Only drive files have versions: anything else throws, as does an `at` not after the file's
 * current time (Feishu's versions only move forward).
 */
export function uploadNewVersion(
  tenant: Tenant,
  token: string,
  options: { at?: number; size?: number; name?: string; mimeType?: string } = {},
): Media {
  const media = tenant.media.get(token);
  if (media?.kind !== 'file')
    throw new Error(`uploadNewVersion: ${token} is not a drive file of this tenant`);
  const entry = tenant.drive.get(token);
  const nodes = tenant.wikiSpaces.flatMap((s) => s.nodes.filter((n) => n.objToken === token));
  const latest = Math.max(entry?.modifiedTime ?? 0, ...nodes.map((n) => n.objEditTime));
  const at = options.at ?? latest + 60;
  if (!(Number.isSafeInteger(at) && at > latest)) {
    throw new Error(`uploadNewVersion: at must be a whole number of seconds after ${latest}, got ${at}`);
  }
  media.version = (media.version ?? 1) + 1;
  if (options.size !== undefined) media.size = options.size;
  if (options.mimeType !== undefined) media.mimeType = options.mimeType;
  if (options.name !== undefined) media.name = options.name;
  if (entry) {
    entry.modifiedTime = at;
    if (options.name !== undefined) entry.name = options.name;
  }
  for (const node of nodes) node.objEditTime = at;
  return media;
}
