import { CRAWL_BUCKETS } from '../feishu/buckets.js';
import type { FeishuClient } from '../feishu/client.js';

/**
 * The API calls a run made, as the free plan's monthly quota counts them
 * (https://open.feishu.cn/document/platform-notices/platform-updates-/custom-app-api-call-limit: every
 * Open API call but the token's): the crawl's listing and content calls, and the download's requests
 * plus the JSON calls the downloader makes through the client (members/auth after a refused download).
 * Retries are calls too. `crawled`: the run had a crawl; `downloadRequests`: the download's own count.
 */
export function apiCallCounts(
  client: FeishuClient,
  crawled: boolean,
  downloadRequests: number | undefined,
): { crawl?: number; download?: number } {
  let crawl = 0;
  let json = 0;
  for (const [bucket, n] of client.calls) {
    if ((CRAWL_BUCKETS as readonly string[]).includes(bucket)) crawl += n;
    else if (bucket !== 'auth') json += n;
  }
  return {
    ...(crawled ? { crawl } : {}),
    ...(downloadRequests !== undefined ? { download: downloadRequests + json } : {}),
  };
}
