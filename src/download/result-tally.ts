import type { FileResult } from './file-result.js';
import type { DownloadProgress, DownloadSummary, FailureGroup } from './types.js';

/** Examples of failed files kept per failure group (the count covers them all). */
const MAX_EXAMPLES = 5;

/** Counts each file's result into the run's summary and progress, failures grouped by status and kind. */
export class ResultTally {
  private readonly groups = new Map<string, FailureGroup>();

  constructor(
    private readonly summary: DownloadSummary,
    private readonly progress: DownloadProgress,
  ) {}

  record(row: { file_token: string; name: string | null }, r: FileResult): void {
    if (r.type === 'done') {
      this.summary.downloaded++;
      this.summary.bytesPublished += r.bytes;
      this.progress.filesDone++;
    } else if (r.type === 'failed' || r.type === 'error') {
      this.progress.filesFailed++;
      const key = `${r.type}:${r.error.kind}`;
      let g = this.groups.get(key);
      if (!g) {
        g = { kind: r.error.kind, status: r.type, count: 0, fix: r.fix, examples: [] };
        this.groups.set(key, g);
      }
      g.count++;
      if (g.examples.length < MAX_EXAMPLES) {
        g.examples.push({ fileToken: row.file_token, name: row.name, message: r.error.message });
      }
    }
  }

  /** The failure groups, the largest first. */
  failures(): FailureGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count);
  }
}
