import type { Bucket } from './buckets.js';

/** What `onRetry` hears about each retry, for logs and progress. Never carries a secret. */
export interface RetryEvent {
  bucket: Bucket;
  operation: string;
  attempt: number;
  kind: string;
  delayMs: number;
  message: string;
}
