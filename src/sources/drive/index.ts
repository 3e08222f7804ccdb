import type { Envelope } from '../../feishu/envelope.js';
import { listedVersion } from '../../inventory/drive-versions.js';
import type { FoundRef } from '../../inventory/media-refs.js';
import { PageGuard } from '../paging.js';
import type { DocType, Source, SourcePage, Target } from '../types.js';

interface DriveFile {
  token: string;
  name?: string;
  type: string;
  url?: string;
  modified_time?: string;
  shortcut_info?: { target_type: string; target_token: string };
}

interface FileList {
  files?: DriveFile[];
  has_more?: boolean;
  next_page_token?: string;
}

const PAGE_SIZE = 200;
const DOCUMENT_TYPES = new Set<string>(['folder', 'docx', 'sheet', 'bitable', 'doc', 'mindnote', 'slides']);

/**
 * Drive folders, listed page by page to the end. Shortcuts become their targets (the crawl visits
 * each target once, so cycles end); plain files are media of the folder.
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/folder/list
 */
export const driveSource: Source = {
  type: 'folder',
  async *read(ctx, target, from) {
    const operation = `GET /open-apis/drive/v1/files?folder_token=${target.token}`;
    const guard = new PageGuard(operation);
    let pageToken = from?.pageToken;
    guard.resume(pageToken);
    do {
      const params: { folder_token: string; page_size: number; page_token?: string } = {
        folder_token: target.token,
        page_size: PAGE_SIZE,
      };
      if (pageToken) params.page_token = pageToken;
      const data = await ctx.client.call<FileList>(
        'drive.list',
        operation,
        (o) => ctx.client.sdk.drive.v1.file.list({ params }, o) as Promise<Envelope<FileList>>,
        ctx.signal,
      );
      pageToken = guard.next(data.has_more, data.next_page_token);
      yield {
        ...entriesToPage(target.token, data.files ?? []),
        next: pageToken ? { phase: 'list', pageToken } : undefined,
      };
    } while (pageToken);
  },
};

/** Sorts one page of a folder listing into child documents and drive-file media. */
export function entriesToPage(folderToken: string, files: readonly DriveFile[]): SourcePage {
  const children: Target[] = [];
  const refs: FoundRef[] = [];
  for (const f of files) {
    const isShortcut = f.type === 'shortcut' && f.shortcut_info;
    const type = isShortcut ? f.shortcut_info!.target_type : f.type;
    const token = isShortcut ? f.shortcut_info!.target_token : f.token;
    if (type === 'file') {
      refs.push({
        fileToken: token,
        location: folderToken,
        kind: 'drive_file',
        source: 'drive_file',
        name: f.name,
        // Changes when a new version is uploaded under the same token. A shortcut's time is its own.
        version: isShortcut ? undefined : listedVersion(f.modified_time),
      });
    } else if (DOCUMENT_TYPES.has(type)) {
      // A shortcut's modified_time is the shortcut's, not its target's: let the target report its own.
      const listedRevision =
        !isShortcut && f.modified_time && type !== 'folder' ? `mtime:${f.modified_time}` : undefined;
      children.push({
        type: type as DocType,
        token,
        title: f.name,
        url: isShortcut ? undefined : f.url,
        listedRevision,
      });
    }
  }
  return { children, refs };
}
