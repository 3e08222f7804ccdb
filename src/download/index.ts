/** The downloader's public surface: what the CLI and the crawl call. */

export { MEDIA_DOWNLOAD_BUCKET, type QuotaUsage, readQuotaUsage } from '../inventory/quota.js';
export { DEFAULT_DAY_TIME_ZONE } from '../limits/calendar-day.js';
export { downloadAll } from './download-all.js';
export { MEDIA_FIXES } from './media-fixes.js';
export { planDownloads } from './plan.js';
export type {
  DownloadBudget,
  DownloadLimits,
  DownloadOptions,
  DownloadPlan,
  DownloadProgress,
  DownloadSummary,
  FailureGroup,
  StopReason,
} from './types.js';
