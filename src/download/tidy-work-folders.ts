import { readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

/** Folders that hold work in progress: a run that finishes its work leaves them empty. */
const WORK_FOLDERS = ['.partial', join('snapshots', '.staging')];

/**
 * Removes the work-in-progress folders (`.partial/`, `snapshots/.staging/`) and the folders inside
 * them, where they hold no file: an interrupted run's unfinished downloads and crawl pages stay, as
 * the next run resumes from them, but a complete run leaves no empty folders behind for people to
 * wonder about. Returns how many folders it removed.
 */
export function removeEmptyWorkFolders(outputDir: string): number {
  let removed = 0;
  const prune = (dir: string): boolean => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    let empty = true;
    for (const e of entries) {
      if (!(e.isDirectory() && prune(join(dir, e.name)))) empty = false;
    }
    if (!empty) return false;
    try {
      rmdirSync(dir);
      removed++;
      return true;
    } catch {
      return false;
    }
  };
  for (const folder of WORK_FOLDERS) prune(join(outputDir, folder));
  return removed;
}
