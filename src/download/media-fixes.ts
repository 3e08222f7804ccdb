import type { FeishuError } from '../feishu/errors.js';
import type { MediaRow } from '../inventory/media-queue.js';
import { DOWNLOAD_DISABLED_FIX, ExplainedForbidden } from './download-disabled.js';

/** Fix sentences for media, more precise than the generic ones. */
export const MEDIA_FIXES: Record<string, string> = {
  permission:
    'The app cannot read this file: add the app as a collaborator of the document (or base) that contains it, then run with --retry-failed. If it already is one, the owner may have disabled downloads (see download_disabled); enable the scope docs:permission.member:auth so the next run can tell which.',
  download_disabled: DOWNLOAD_DISABLED_FIX,
  not_found:
    // Not "crawl again": this is said right after a crawl that still listed the file.
    'The file was deleted from Feishu, though its document still lists it; nothing to do: copies already saved are kept.',
  bad_request:
    'The file sits in an advanced-permission base and both forms of its `extra` were refused: give the app a role with manage rights on the base, crawl it again, then run with --retry-failed.',
  temporary: 'Feishu or the network kept failing for this file; the next run tries it again.',
  protocol:
    'The server answered something other than the file (wrong size or a JSON error); the next run tries again, and a crawl refreshes the expected size.',
  rate_limited:
    'Feishu kept rate-limiting this file; the next run tries it again (lower --qps if it persists).',
  auth: 'The access token was refused twice; check the app credentials, then run again.',
};

/** Where drive files and whiteboards need other words than media (the rest is shared). */
const SOURCE_FIXES: Partial<Record<MediaRow['source'], Record<string, string>>> = {
  drive_file: {
    permission:
      'The app cannot read this drive file: share the file (or its folder or wiki space) with the app, then run with --retry-failed.',
    bad_request:
      'Feishu refused the download request for this drive file; run with --retry-failed, and report it if it persists.',
    credentials:
      'The app may not download drive files: enable a drive read scope in the developer console and publish a new app version; the drive files wait for the next run.',
  },
  board: {
    permission:
      'The app cannot read this whiteboard: add the app as a collaborator of the document that contains it (scope board:whiteboard:node:read), then run with --retry-failed.',
    not_found:
      'The whiteboard was deleted, though its document still lists it; nothing to do: images already saved are kept.',
    bad_request:
      'Feishu refused to export this whiteboard; run with --retry-failed, and report it if it persists.',
    credentials:
      'The app may not export whiteboards: enable the board:whiteboard:node:read scope in the developer console and publish a new app version; the whiteboards wait for the next run.',
  },
};

/** The sentence telling the user what to do about `error` for a file from `source`. */
export function fixFor(source: MediaRow['source'], error: FeishuError): string {
  if (error instanceof ExplainedForbidden) return error.explainedFix;
  return (
    SOURCE_FIXES[source]?.[error.kind] ??
    MEDIA_FIXES[error.kind] ??
    error.fix ??
    'Run again; if it persists, report it with this message.'
  );
}
