import { forgetUpload, type RecordedPart, recordedUpload } from '../inventory/target-uploads.js';
import { abortQuietly } from './abort-upload.js';
import { listServerParts, stripQuotes } from './list-parts.js';
import type { Upload } from './multipart.js';
import type { UploadFileOptions } from './upload-params.js';

/** The upload an earlier run left for this object, when it can be continued; else it is let go. */
export async function resumable(o: UploadFileOptions, partSize: number): Promise<Upload | undefined> {
  const rec = recordedUpload(o.db, o.target.bucket, o.key);
  if (!rec) return undefined;
  if (rec.sha256 !== o.sha256 || rec.partSize !== partSize) {
    // Made for other bytes (a new version of the file), or by a version that did not record them.
    await abortQuietly(o, rec.uploadId);
    forgetUpload(o.db, o.target.bucket, o.key);
    return undefined;
  }
  const server = await listServerParts(o.client, o.target.bucket, o.key, rec.uploadId, o.signal);
  if (server.kind === 'unknown') {
    o.log?.({
      level: 'warn',
      event: 'upload.restarted',
      message: `The server no longer knows the multipart upload recorded for ${o.key} (NoSuchUpload); it is started over.`,
      key: o.key,
    });
    forgetUpload(o.db, o.target.bucket, o.key);
    return undefined;
  }
  const parts = new Map<number, RecordedPart>();
  for (const p of rec.parts) {
    const held = server.kind === 'parts' ? server.parts.get(p.partNumber) : undefined;
    if (server.kind === 'unsupported' || (held?.etag === stripQuotes(p.etag) && held.size === p.size)) {
      parts.set(p.partNumber, p);
    }
  }
  o.log?.({
    level: 'info',
    event: 'upload.resumed',
    message: `Continuing the multipart upload of ${o.key}: ${parts.size} part${parts.size === 1 ? '' : 's'} already sent.`,
    key: o.key,
    parts: parts.size,
  });
  return { uploadId: rec.uploadId, parts };
}
