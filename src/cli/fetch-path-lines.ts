import type { DownloadSummary } from '../download/index.js';
import { counted, formatBytes } from './format.js';

/**
 * The summary's lines about media per fetch path today (direct, temporary URLs), once temporary URLs
 * are in play (`download.via` tmp-url or auto, or used earlier today): files, bytes and requests of
 * the day, and whether a path is stopped for the day. Whether Feishu meters temporary URLs is not
 * documented; these lines are how a real tenant tells (README, "Past 10,000 a day"). `row` lays out
 * a labelled line (the summary's column); the caller wraps them to 80 columns.
 */
export function fetchPathLines(
  d: DownloadSummary | undefined,
  row: (label: string, text: string) => string,
): string[] {
  const direct = d?.paths?.find((p) => p.via === 'direct');
  const tmp = d?.paths?.find((p) => p.via === 'tmp-url');
  if (!direct || !tmp) return [];
  const tmpUsed = tmp.requests > 0 || (tmp.batchCalls ?? 0) > 0;
  if ((d?.via ?? 'direct') === 'direct' && !tmpUsed) return [];
  const stop = (p: typeof direct): string =>
    !p.stopped
      ? ''
      : p.via === 'direct'
        ? `; day spent (${p.stoppedBy === 'server' ? "Feishu's 1061045" : 'our count'})`
        : '; stopped for today: Feishu kept refusing them (1061045/99991400)';
  return [
    row(
      'Paths',
      `direct: ${counted(direct.files, 'file')}, ${formatBytes(direct.bytes)}, ` +
        `${counted(direct.requests, 'request')} today${stop(direct)}`,
    ),
    row(
      '',
      `temporary URLs: ${counted(tmp.files, 'file')}, ${formatBytes(tmp.bytes)}, ` +
        `${counted(tmp.requests, 'fetch', 'fetches')} + ${counted(tmp.batchCalls ?? 0, 'batch call')} today${stop(tmp)}`,
    ),
  ];
}
