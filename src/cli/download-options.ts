import { archiveOf, type Config, downloadOf } from '../config/types.js';
import type { DownloadLimits } from '../download/index.js';
import type { MediaSource } from '../inventory/media-refs.js';

/** The download engine's limits, read from the config (README "Feishu's limits", "Past 10,000 a day"). */
export function downloadLimits(config: Config): DownloadLimits {
  return {
    qps: config.limits.downloadQps,
    perDay: config.limits.downloadsPerDay,
    concurrency: config.limits.concurrency,
    dayBoundaryTimeZone: config.limits.dayBoundaryTimeZone,
    ...(config.limits.dailyCapBackoffMinutes === undefined
      ? {}
      : { dailyCapBackoffMs: config.limits.dailyCapBackoffMinutes * 60_000 }),
    ...endpointRates(config),
    via: downloadOf(config).via,
    tmpUrlQps: downloadOf(config).tmpUrlQps,
  };
}

/** archive.whiteboards / archive.driveFiles off: those rows stay pending, reported as skipped by option. */
export function skippedSources(config: Config): MediaSource[] {
  const archive = archiveOf(config);
  const skip: MediaSource[] = [];
  if (!archive.whiteboards) skip.push('board');
  if (!archive.driveFiles) skip.push('drive_file');
  return skip;
}

/** `limits.rates` for the drive-file and whiteboard endpoints; drive files default to downloadQps. */
function endpointRates(config: Config): { driveQps: number; boardQps?: number } {
  const rate = (r: number | undefined): number | undefined =>
    r === undefined || r <= 0 ? undefined : Math.min(r, 1000);
  const board = rate(config.limits.rates['board.image']);
  return {
    driveQps: rate(config.limits.rates['drive.download']) ?? config.limits.downloadQps,
    ...(board === undefined ? {} : { boardQps: board }),
  };
}
