import type { LogEvent, Logger } from '../events.js';
import { formatCount } from './format.js';
import type { Output } from './output.js';

const PER_FILE = new Set(['download.file.failed', 'download.file.error']);

/**
 * Each failed file used to take a 4-5 line warning (message, fix, wrapped); a run with a hundred
 * forbidden images buried everything else. The summary already groups failures by reason with one
 * fix each, so per-file warnings become debug lines (--verbose shows them; --json keeps them as
 * they were, for machines), and one line says how many failed and where to look.
 */
export class FileFailures {
  #count = 0;

  constructor(
    private readonly output: Output,
    private readonly verbose: boolean,
  ) {}

  readonly log: Logger = (event: LogEvent): void => {
    if (!PER_FILE.has(event.event) || this.output.json || this.verbose) {
      this.output.log(event);
      return;
    }
    this.#count++;
    this.output.log({ ...event, level: 'debug' });
  };

  /** After the downloads: one warning for all the files that failed, if any did. */
  sayGrouped(): void {
    if (this.#count === 0) return;
    const n = this.#count;
    this.output.warn(
      'download.failed.grouped',
      `${formatCount(n)} file${n === 1 ? '' : 's'} could not be downloaded; the summary groups them by reason with the fix (--verbose lists each file).`,
      { files: n },
    );
  }
}
