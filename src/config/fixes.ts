/** Fixes for the usual mistakes, keyed by the dotted path of the key. */
export const FIXES: Record<string, string> = {
  appId:
    'set "appId" in the config file or the FEISHU_APP_ID environment variable (the App ID from the developer console, cli_…)',
  appSecret:
    'set "appSecret" in the config file or the FEISHU_APP_SECRET environment variable (keep it out of version control)',
  roots: 'list at least one root, e.g. "roots": [{"url": "https://example.feishu.cn/drive/folder/<token>"}]',
  outputDir: 'set "outputDir" to the folder the backup is written to',
  database: 'set "database" to a file path, or leave it out to keep the inventory inside outputDir',
  baseUrl: 'use "feishu", "lark", or an https URL such as https://open.feishu.cn',
  'limits.downloadQps': 'use a number above 0 (Feishu allows 5 downloads per second)',
  'limits.downloadsPerDay': 'use a whole number (Feishu allows 10000 downloads a day)',
  'limits.concurrency': 'use a whole number from 1 to 64',
  'limits.crawlConcurrency': 'use a whole number from 1 to 64',
  'limits.dailyCapBackoffMinutes': 'use a number of minutes from 0 to 1440 (default 10)',
  'limits.dayBoundaryTimeZone': 'use an IANA time zone such as "Asia/Shanghai"',
  'archive.snapshots': 'use true or false (false keeps no document snapshots)',
  'archive.view': 'use true or false (false skips the Markdown/CSV view at the end of backup)',
  'archive.whiteboards': 'use true or false',
  'archive.driveFiles': 'use true or false',
};
