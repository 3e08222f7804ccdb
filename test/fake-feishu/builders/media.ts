import type { Media, Tenant } from '../model.js';
import { idRng } from './tenant.js';

export function addMedia(
  tenant: Tenant,
  options: Partial<Omit<Media, 'token'>> & { token?: string } = {},
): Media {
  const media: Media = {
    token: options.token ?? idRng(tenant).token('boxcn'),
    name: options.name ?? 'image.png',
    mimeType: options.mimeType ?? 'image/png',
    size: options.size ?? 4096,
    state: options.state ?? 'ok',
    kind: options.kind ?? 'media',
    ...(options.permTable ? { permTable: options.permTable } : {}),
    ...(options.listedSize !== undefined ? { listedSize: options.listedSize } : {}),
    ...(options.listedWithoutToken ? { listedWithoutToken: true } : {}),
  };
  tenant.media.set(media.token, media);
  return media;
}

export function addBoard(tenant: Tenant, options: { width?: number; height?: number } = {}): string {
  const whiteboardId = idRng(tenant).token('wbcn');
  tenant.boards.set(whiteboardId, { whiteboardId, width: options.width ?? 64, height: options.height ?? 48 });
  return whiteboardId;
}
