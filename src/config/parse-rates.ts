import { BUCKETS, type Bucket } from '../feishu/buckets.js';
import { didYouMean } from './did-you-mean.js';

/** `limits.rates` as requests per second per bucket; unknown buckets are pushed to `problems`. */
export function parseRates(
  raw: Record<string, unknown>,
  problems: string[],
): Partial<Record<Bucket, number>> {
  const out: Partial<Record<Bucket, number>> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(BUCKETS as readonly string[]).includes(key)) {
      const hint = didYouMean(key, BUCKETS);
      problems.push(
        `limits.rates.${key}: unknown bucket${hint ? ` (did you mean "${hint}"?)` : ''}; buckets are ${BUCKETS.join(', ')}`,
      );
      continue;
    }
    // 0, "off" and "Infinity" all mean no pacing (benchmarks, private deployments without limits).
    if (value === 'off' || value === 'Infinity' || value === 0) out[key as Bucket] = Number.POSITIVE_INFINITY;
    else if (typeof value === 'number' && value > 0) out[key as Bucket] = value;
    // Anything else was reported by the schema.
  }
  return out;
}
