export { type CrawlOptions, crawl } from './crawl.js';
export type { CrawlFailure, CrawlProgress, CrawlSummary, DocumentCounts } from './summary.js';
