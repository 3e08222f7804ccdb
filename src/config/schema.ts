import { z } from 'zod';
import { FEISHU_BASE_URL } from './base-url.js';
import { targetSchema } from './target.js';

const rate = z.union([z.number().nonnegative(), z.literal('Infinity'), z.literal('off')]);

export const limitsSchema = z.strictObject({
  downloadQps: z.number().positive().max(1000).default(5),
  downloadsPerDay: z.number().int().nonnegative().default(10_000),
  concurrency: z.number().int().min(1).max(64).default(4),
  crawlConcurrency: z.number().int().min(1).max(64).default(8),
  dayBoundaryTimeZone: z.string().refine(isTimeZone).default('Asia/Shanghai'),
  dailyCapBackoffMinutes: z.number().nonnegative().max(1440).default(10),
  rates: z.record(z.string(), rate).default({}),
});

export const archiveSchema = z.strictObject({
  snapshots: z.boolean().default(true),
  view: z.boolean().default(true),
  whiteboards: z.boolean().default(true),
  driveFiles: z.boolean().default(true),
});

/**
 * `download.via`: how media inside documents is fetched. `direct` (the download endpoint, 10,000 a
 * day), `tmp-url` (batch_get_tmp_download_url, then the temporary URL), or `auto` (direct until its
 * day is spent, then temporary URLs). `tmpUrlQps`: temporary-URL fetches started per second (their
 * limit is not documented).
 */
export const downloadSchema = z.strictObject({
  via: z.enum(['direct', 'tmp-url', 'auto']).default('direct'),
  tmpUrlQps: z.number().positive().max(1000).default(5),
});

/** `crawl.fullEvery`: a duration (`7d`, `36h`, `90m`, bare seconds) or `off`; see src/config/full-every.ts. */
export const crawlSchema = z.strictObject({
  fullEvery: z.union([z.string(), z.number().nonnegative()]).default('7d'),
});

export const loginSchema = z.strictObject({
  /** The loopback port of the redirect URL registered in the developer console. */
  port: z.number().int().min(1).max(65535).default(8765),
  /** Scopes to ask for; `offline_access` is always added. */
  scopes: z.array(z.string().min(1)).optional(),
});

export const configSchema = z.strictObject({
  appId: z.string().min(1),
  appSecret: z.string().min(1),
  baseUrl: z.string().default(FEISHU_BASE_URL),
  roots: z.array(z.unknown()).min(1),
  outputDir: z.string().min(1),
  database: z.string().min(1).optional(),
  // Checked on its own in loadConfig, so its problems are reported even when the top level has some.
  limits: z.record(z.string(), z.unknown()).optional(),
  archive: archiveSchema.optional(),
  crawl: crawlSchema.optional(),
  download: downloadSchema.optional(),
  auth: z.enum(['tenant', 'user']).default('tenant'),
  login: loginSchema.optional(),
  target: targetSchema.optional(),
});

/** For `offline` loads (`render`): no credentials or roots needed. */
export const offlineSchema = configSchema.extend({
  appId: z.string().optional(),
  appSecret: z.string().optional(),
  roots: z.array(z.unknown()).optional(),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
