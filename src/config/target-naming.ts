/**
 * What the commands read about a target without loading the config schema (target.ts holds it, and
 * the schema library is loaded only where the config is checked: load-apart.ts).
 */
import type { Target } from './target.js';

/** The default staging limit with keepLocal false: 2 GiB. */
export const DEFAULT_STAGING_LIMIT = 2 * 1024 ** 3;

/** How the target is named to the user: `s3://bucket/prefix` and the endpoint when not AWS. */
export function describeTarget(t: Target): string {
  const where = `s3://${t.bucket}/${t.prefix}`;
  return t.endpoint ? `${where} at ${t.endpoint}` : where;
}
