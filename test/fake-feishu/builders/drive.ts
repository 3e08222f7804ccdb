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
