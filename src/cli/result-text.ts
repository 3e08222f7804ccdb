/** The Result line of a run summary: how the run ended, and for exit 3 with one cause, that cause. */
import { ExitCode } from './exit-codes.js';
import { counted, formatBytes, formatCount } from './format.js';
import type { RunReport } from './summary.js';

const STOP_TEXT: Record<number, string> = {
  [ExitCode.ok]: 'everything in scope is backed up',
  [ExitCode.partial]: 'finished, but some files or documents failed (see above)',
  [ExitCode.rootUnreadable]: 'a root could not be read at all (see above); share it with the app',
  [ExitCode.quota]: "today's download quota is spent; the next run continues",
  [ExitCode.budget]: 'the run budget was reached; the next run continues',
  [ExitCode.interrupted]: 'interrupted; the next run resumes where this one stopped',
  [ExitCode.error]: 'stopped by an error (see above)',
};

/**
 * Exit 3 for media-shaped objects nothing can download, and for nothing else: no document failed,
 * no file failed or was left. Its result line names that cause, not "some files failed".
 */
function unbackableOnly(r: RunReport, exitCode: number): number {
  const n = r.after.unbackable?.total ?? 0;
  if (exitCode !== ExitCode.partial || n === 0 || (r.after.documents.byStatus.error ?? 0) > 0) return 0;
  const left = r.download?.left;
  return left && left.files + left.failedSkipped > 0 ? 0 : n;
}

/** How the run ended; a dry run says what would happen and that nothing was downloaded. */
export function resultText(r: RunReport, exitCode: number): string {
  const unbackable = unbackableOnly(r, exitCode);
  const cause = `${counted(unbackable, 'media-shaped object')} could not be backed up (see Not saved)`;
  const stop = unbackable
    ? `finished, but ${cause}: no API call downloads ${unbackable === 1 ? 'it' : 'them'}. Nothing to fix in Feishu or the config; please report it with a --record-shapes capture (README, "Not backed up")`
    : (STOP_TEXT[exitCode] ?? 'done');
  if (!r.dryRun || !r.plan || exitCode === ExitCode.interrupted || exitCode === ExitCode.error) return stop;
  const p = r.plan;
  const what =
    `dry run: ${counted(p.files, 'file')}, ${formatBytes(p.bytesKnown)} known` +
    (p.unknownSize ? ` + ${formatCount(p.unknownSize)} of unknown size` : '') +
    ', would be downloaded; nothing was downloaded';
  if (exitCode === ExitCode.ok) return what;
  return unbackable ? `${what}; ${cause}` : `${what}; some documents could not be read (see above)`;
}
