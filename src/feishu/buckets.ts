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
  'drive.download',
  'board.image',
  'drive.member_auth',
] as const;

export type Bucket = (typeof BUCKETS)[number];

/**
 * Requests per second we allow ourselves by default. The docx block APIs and media downloads are
 * documented at 5/s; bitable record search at 20/s; the others are documented per minute (100 to
 * 1,000/min) and get a conservative 5/s. A server's 429 reset hint always wins over these.
 */
export const DEFAULT_RATES: Record<Bucket, number> = {
  auth: 5,
  'drive.list': 5,
  'wiki.spaces': 5,
  'wiki.nodes': 5,
  'wiki.get_node': 5,
  'docx.document': 5,
  'docx.blocks': 5,
  'sheets.query': 5,
  'sheets.values': 5,
  'sheets.float_images': 5,
  // sheets v2 metainfo: 100/s (https://open.feishu.cn/document/server-docs/historic-version/docs/sheets/obtain-spreadsheet-metadata)
  'sheets.metainfo': 5,
  // bitable app get: 20/s (https://open.feishu.cn/document/server-docs/docs/bitable-v1/app/get)
  'bitable.app': 10,
  'bitable.tables': 10,
  'bitable.fields': 10,
  'bitable.records': 20,
  'media.download': 5,
  'media.tmp_url': 5,
  'drive.download': 5,
  'board.image': 5,
  // 100/minute (https://open.feishu.cn/document/server-docs/docs/permission/permission-member/auth);
  // asked only to explain a refused download, once per document.
  'drive.member_auth': 1,
};

/**
 * Per-minute limits documented on top of the per-second pacing: the wiki spaces list allows 100
 * requests a minute (https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/list). Applied
 * only while the bucket is paced at all (a rate of `Infinity` turns both off).
 */
export const PER_MINUTE_LIMITS: Partial<Record<Bucket, number>> = {
  'wiki.spaces': 100,
};
