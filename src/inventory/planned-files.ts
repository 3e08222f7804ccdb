import { GONE_FROM_FEISHU } from './media-queue.js';
import type { MediaSource } from './media-refs.js';
import type { Db } from './open.js';

export interface PlannedFile {
  file_token: string;
  name: string | null;
  size: number | null;
  status: string;
}

const LEFT = `status IN ('pending', 'partial', 'error') AND source NOT IN (SELECT value FROM json_each(?))
  AND NOT ${GONE_FROM_FEISHU}`;

/** The files a download would fetch (sources skipped by option and files gone from Feishu left out), oldest first. */
export function plannedFiles(
  db: Db,
  skipSources: readonly MediaSource[],
  limit: number,
): { rows: PlannedFile[]; total: number } {
  const skip = JSON.stringify(skipSources);
  const rows = db
    .prepare(`SELECT file_token, name, size, status FROM media WHERE ${LEFT} ORDER BY id LIMIT ?`)
    .all(skip, limit) as PlannedFile[];
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM media WHERE ${LEFT}`).get(skip) as { n: number }).n;
  return { rows, total };
}
