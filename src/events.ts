/**
 * What the core tells the outside world. Nothing below `src/cli/` prints: it emits events, and the
 * CLI turns them into terminal lines, progress bars or `--json` records. Events never carry secrets.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LogEvent {
  level: Level;
  /** A stable dotted name, e.g. `crawl.document.skipped`, `download.retry`. */
  event: string;
  /** One human sentence. */
  message: string;
  [field: string]: unknown;
}

export type Logger = (event: LogEvent) => void;

export const nullLogger: Logger = () => undefined;
