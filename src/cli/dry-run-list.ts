import type { MediaSource } from '../inventory/media-refs.js';
import { plannedFiles } from '../inventory/planned-files.js';
import { formatBytes, formatCount } from './format.js';
import type { Session } from './session.js';

/** --dry-run: name the files a download would fetch (the first 20; all with --verbose). */
export function listPlanned(s: Session, verbose: boolean, skipSources: readonly MediaSource[]): void {
  const { rows, total } = plannedFiles(s.db, skipSources, verbose ? -1 : 20);
  if (!rows.length) return;
  const lines = ['Would download:'];
  for (const r of rows) {
    const size = r.size === null ? '?' : formatBytes(r.size);
    lines.push(
      `  ${size.padStart(8)}  ${r.name ?? r.file_token}${r.status === 'pending' ? '' : ` (${r.status})`}`,
    );
  }
  if (total > rows.length)
    lines.push(`  ... and ${formatCount(total - rows.length)} more (--verbose lists all)`);
  s.output.result(lines.join('\n'));
}
