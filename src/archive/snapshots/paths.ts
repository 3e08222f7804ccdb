import { createHash } from 'node:crypto';
import { sanitizeFilename } from '../../naming/sanitize-filename.js';

/** Document types whose raw content the archive keeps. */
export const SNAPSHOT_KINDS = ['docx', 'sheet', 'bitable_table'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

export function isSnapshotKind(type: string): type is SnapshotKind {
  return (SNAPSHOT_KINDS as readonly string[]).includes(type);
}

/** Written into every snapshot, so a reader years from now knows what it holds. */
export const SNAPSHOT_FORMAT = 'feishu-backup.snapshot/1';

/**
 * `snapshots/<type>/<token>/<revision>.json.gz` (see ../LAYOUT.md), relative to outputDir with `/`
 * separators. Revisions like `rev:12` or `mtime:1700000000` become `rev_12`, `mtime_1700000000`.
 */
export function snapshotRelativePath(type: SnapshotKind, token: string, revision: string): string {
  return ['snapshots', type, safe(token), `${safe(revision)}.json.gz`].join('/');
}

/** Where the pages of one document's pass wait until the pass completes. */
export function stagingRelativeDir(type: SnapshotKind, token: string, revision?: string): string {
  const parts = ['snapshots', '.staging', type, safe(token)];
  if (revision !== undefined) parts.push(safe(revision));
  return parts.join('/');
}

/**
 * A staged page is named by the crawl position it was read from (`start`, or a hash of the
 * checkpoint), and holds the position after it: the pages form a chain a resume extends, and pages
 * of an abandoned pass that the chain no longer reaches are never published.
 */
export function pageFileName(
  position: { phase: string; pageToken?: string | undefined } | undefined,
): string {
  if (!position) return 'start.json';
  const key = `${position.phase}\u0000${position.pageToken ?? ''}`;
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`;
}

function safe(segment: string): string {
  return sanitizeFilename(segment, { fallback: 'unnamed' });
}
