/** The buckets the crawl reads through (listing and content APIs); the rest are downloads and auth. */
export const CRAWL_BUCKETS = [
  'drive.list',
  'wiki.spaces',
  'wiki.nodes',
  'wiki.get_node',
  'docx.document',
  'docx.blocks',
  'sheets.query',
  'sheets.values',
  'sheets.float_images',
  'sheets.metainfo',
  'bitable.app',
  'bitable.tables',
  'bitable.fields',
  'bitable.records',
  'drive.folder_meta',
  'wiki.space',
  'sheets.spreadsheet',
  'drive.metas',
] as const;

/**
 * One bucket per Feishu API whose frequency limit we pace separately. Feishu limits each API per
 * app per tenant (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control).
 */
export const BUCKETS = [
  'auth',
  ...CRAWL_BUCKETS,
  'media.download',
  'media.tmp_url',
  'media.tmp_download',
  'drive.download',
  'board.image',
  'drive.member_auth',
] as const;

export type Bucket = (typeof BUCKETS)[number];

/** A frequency limit: at most `limit` requests in any sliding `windowMs`. */
export interface BucketLimit {
  limit: number;
  /** 1000 for "N 次/秒", 60,000 for "N 次/分钟": a per-minute limit is a minute's window, not its average. */
  windowMs: number;
  /** The official page the row follows. */
  doc: string;
}

const SECOND = 1000;
const MINUTE = 60_000;

/**
 * Each API's documented limit ("接口频率限制" on its page, or the page's own note). Pacing follows it
 * exactly (a sliding window of that length); a server's reset hint always wins over it. Where the
 * page gives no number the row says so and picks a cautious one.
 */
export const DOCUMENTED_LIMITS: Readonly<Record<Bucket, BucketLimit>> = {
  // The token endpoint's page gives no limit (and the free plan's monthly quota does not count it);
  // one call per two hours is all a run needs.
  auth: {
    limit: 5,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal',
  },
  'drive.list': {
    limit: 20,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/drive-v1/folder/list',
  },
  'wiki.spaces': {
    limit: 100,
    windowMs: MINUTE,
    doc: 'https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/list',
  },
  'wiki.nodes': {
    limit: 100,
    windowMs: MINUTE,
    doc: 'https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/list',
  },
  'wiki.get_node': {
    limit: 100,
    windowMs: MINUTE,
    doc: 'https://open.feishu.cn/document/server-docs/docs/wiki-v2/space-node/get_node',
  },
  // "特殊频控"; the page's note: 5 per second per app, over it HTTP 400 + 99991400.
  'docx.document': {
    limit: 5,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/get',
  },
  'docx.blocks': {
    limit: 5,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/list',
  },
  'sheets.query': {
    limit: 100,
    windowMs: MINUTE,
    doc: 'https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet-sheet/query',
  },
  'sheets.values': {
    limit: 100,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/sheets-v3/data-operation/reading-multiple-ranges',
  },
  'sheets.float_images': {
    limit: 100,
    windowMs: MINUTE,
    doc: 'https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet-sheet-float_image/query',
  },
  // The historic v2 metainfo, read only for spreadsheets holding an embedded base.
  'sheets.metainfo': {
    limit: 100,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/historic-version/docs/sheets/obtain-spreadsheet-metadata',
  },
  'bitable.app': {
    limit: 20,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/bitable-v1/app/get',
  },
  'bitable.tables': {
    limit: 20,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table/list',
  },
  'bitable.fields': {
    limit: 20,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-field/list',
  },
  'bitable.records': {
    limit: 20,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/docs/bitable-v1/app-table-record/search',
  },
  // "特殊频控"; the page: 5 QPS and 10,000 a day (the daily cap is src/inventory/quota.ts).
  'media.download': {
    limit: 5,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/drive-v1/media/download',
  },
  // "特殊频控" with no number on the page; an older Lark page said 5 QPS.
  'media.tmp_url': {
    limit: 5,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/drive-v1/media/batch_get_tmp_download_url',
  },
  // Fetching a temporary URL (on the download host, outside /open-apis): no limit documented; 5/s
  // by default (`download.tmpUrlQps`), counted so a real tenant can tell.
  'media.tmp_download': {
    limit: 5,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/drive-v1/media/batch_get_tmp_download_url',
  },
  'drive.download': {
    limit: 5,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/drive-v1/download/download',
  },
  'board.image': {
    limit: 10,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/docs/board-v1/whiteboard/download_as_image',
  },
  // Asked only to explain a refused download, once per document.
  'drive.member_auth': {
    limit: 100,
    windowMs: MINUTE,
    doc: 'https://open.feishu.cn/document/server-docs/docs/permission/permission-member/auth',
  },
  // The folder meta page gives no limit: 5/s is cautious; asked once per folder root and crawl, for
  // the root's title (src/crawl/roots.ts).
  'drive.folder_meta': {
    limit: 5,
    windowMs: SECOND,
    doc: 'https://open.feishu.cn/document/server-docs/docs/drive-v1/folder/get-folder-meta',
  },
  // Asked once per wiki space root and crawl, for the root's title.
  'wiki.space': {
    limit: 100,
    windowMs: MINUTE,
    doc: 'https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/get',
  },
  // Asked once per spreadsheet root and crawl, for the root's title.
  'sheets.spreadsheet': {
    limit: 100,
    windowMs: MINUTE,
    doc: 'https://open.feishu.cn/document/server-docs/docs/sheets-v3/spreadsheet/get',
  },
  // 1000/min and 50/s; the minute is the tighter: asked once per drive-file root and crawl, for its title.
  'drive.metas': {
    limit: 1000,
    windowMs: MINUTE,
    doc: 'https://open.feishu.cn/document/server-docs/docs/drive-v1/file/batch_query',
  },
};

/**
 * Requests per second each bucket's documented limit averages to: what `limits.rates` overrides
 * (config and docs speak per second). Pacing itself uses {@link DOCUMENTED_LIMITS}' windows.
 */
export const DEFAULT_RATES: Record<Bucket, number> = Object.fromEntries(
  Object.entries(DOCUMENTED_LIMITS).map(([b, l]) => [b, (l.limit * SECOND) / l.windowMs]),
) as Record<Bucket, number>;

/**
 * Our windows are 2% wider than the documented ones: requests granted a window apart here can arrive
 * a little less than a window apart at the server (network and event-loop jitter), and its window is
 * strict too.
 */
export const WINDOW_GUARD = 1.02;
