import type { MediaRow } from '../inventory/media-queue.js';
import { type PartPaths, partPaths } from './part-file.js';
import type { Lane, RunContext } from './run-context.js';

/** What one file's attempts in this run have learnt and spent: the retry counters and the `extra` tried. */
export interface FileAttempt {
  row: MediaRow;
  lane: Lane;
  paths: PartPaths;
  /** The inventory's (listed) size: a hint, see fetch-media.ts. */
  knownSize: number | undefined;
  /** A drive file's version (its token outlives uploads): a `.part` of another version is not continued. */
  version: string | undefined;
  /** The token was refreshed once after an auth error. */
  refreshed: boolean;
  temporary: number;
  /** Rate-limit answers, carried over when the file was sent back to its lane's queue (`later`). */
  rateLimited: number;
  protocol: number;
  /** Answers that made progress without finishing (short ranges, restarts). */
  again: number;
  /** Temporary URLs asked for again after the host refused one. */
  renewed: number;
  /**
   * The `extra` to send (see ExtraChoice), then, after a 400/403, those of its other references: a file
   * seen in several tables carries one `extra` per table and the row keeps only the last seen.
   */
  extra: string | null;
  extrasTried: Set<string | null>;
}

export function startAttempt(ctx: RunContext, lane: Lane, row: MediaRow): FileAttempt {
  const extra = ctx.extras.first(row);
  return {
    row,
    lane,
    paths: partPaths(ctx.outputDir, row.file_token),
    knownSize: row.size ?? undefined,
    version: row.remote_version ?? undefined,
    refreshed: false,
    temporary: 0,
    rateLimited: lane.deferred.get(row.id) ?? 0,
    protocol: 0,
    again: 0,
    renewed: 0,
    extra,
    extrasTried: new Set<string | null>([extra]),
  };
}
