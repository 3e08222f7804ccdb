import { calculateRetryDelay } from '../limits/backoff.js';
import type { Clock } from '../limits/clock.js';
import type { Bucket } from './buckets.js';
import type { FeishuError } from './errors.js';
import type { RetryEvent } from './retry-event.js';

export interface RetryStep {
  bucket: Bucket;
  operation: string;
  maxRetries: number;
  random: () => number;
  clock: Clock;
  onRetry: ((event: RetryEvent) => void) | undefined;
  /** Holds the whole bucket for the server's reset hint, so other callers wait it out too. */
  pauseBucket?: (bucket: Bucket, ms: number) => void;
  signal?: AbortSignal | undefined;
}

/**
 * After failed attempt number `attempt`: throws `error` when it is not worth retrying (only rate
 * limits and temporary failures are) or the attempts are spent; otherwise waits the server's reset
 * hint or the backoff, and returns for the next attempt.
 */
export async function waitBeforeRetry(error: FeishuError, attempt: number, step: RetryStep): Promise<void> {
  const retryable = error.kind === 'rate_limited' || error.kind === 'temporary';
  if (!retryable || error.noRetry || attempt > step.maxRetries) throw error;
  const delayMs = calculateRetryDelay(attempt, error.retryAfterMs, { random: step.random });
  if (error.kind === 'rate_limited') step.pauseBucket?.(step.bucket, delayMs);
  step.onRetry?.({
    bucket: step.bucket,
    operation: step.operation,
    attempt,
    kind: error.kind,
    delayMs,
    message: error.message,
  });
  await step.clock.sleep(delayMs, step.signal);
}
