import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { FIXES } from './fixes.js';
import { archiveSchema, configSchema, limitsSchema } from './schema.js';
import { TARGET_FIXES, targetSchema } from './target.js';

const TOP_KEYS = Object.keys(configSchema.shape);
const LIMIT_KEYS = Object.keys(limitsSchema.shape);
const ARCHIVE_KEYS = Object.keys(archiveSchema.shape);
const TARGET_KEYS = Object.keys(targetSchema.shape);

/**
 * One schema issue as lines of "path: what; fix" (several lines for several unknown keys, none for
 * issues reported elsewhere: roots and rate buckets have their own checks).
 */
export function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  const at = issue.path.map(String).join('.');
  if (at.startsWith('roots.') || (at === 'limits.rates' && issue.code !== 'invalid_type')) return '';
  if (issue.code === 'unrecognized_keys') {
    const known =
      at === 'limits'
        ? LIMIT_KEYS
        : at === 'archive'
          ? ARCHIVE_KEYS
          : at === 'target'
            ? TARGET_KEYS
            : TOP_KEYS;
    return issue.keys
      .map((key) => {
        const hint = didYouMean(key, known);
        const where = at ? `${at}.${key}` : key;
        return `${where}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}; remove it or rename it (notes go in "$comment" keys)`;
      })
      .join('\n');
  }
  const value = issue.path.reduce<unknown>(
    (v, k) =>
      v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined,
    input,
  );
  const fix =
    FIXES[at] ??
    TARGET_FIXES[at] ??
    (at.startsWith('limits.rates.')
      ? 'use requests per second (a number), or "off"'
      : 'see config.example.json');
  // Messages never show the value itself: it could be the app secret.
  const what =
    value === undefined ? 'missing' : issue.code === 'too_small' && at === 'roots' ? 'empty' : 'invalid';
  return `${at}: ${what}; ${fix}`;
}
