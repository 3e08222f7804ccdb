import type { BlobReply, RouteContext } from '../contract.js';
import { mediaContentKey, mediaStream } from '../media-bytes.js';
import type { Media } from '../model.js';

export function fileBlob(ctx: RouteContext, media: Media): BlobReply {
  const seed = ctx.tenant.seed;
  return {
    kind: 'blob',
    size: media.size,
    mimeType: media.mimeType,
    fileName: media.name,
    open: (start, end) => mediaStream(seed, mediaContentKey(media), start, end),
  };
}
