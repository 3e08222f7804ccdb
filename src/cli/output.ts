import type { Level, LogEvent, Logger } from '../events.js';
import { counted } from './format.js';
import {
  LineProgress,
  type ProgressDisplay,
  type ProgressState,
  SilentProgress,
  TtyProgress,
} from './progress.js';
import { redactor } from './redact.js';

export interface OutputOptions {
  /** Newline-delimited JSON events on stdout instead of human lines. */
  json: boolean;
  /** Only warnings, errors and the final summary. */
  quiet: boolean;
  /** Debug events too. */
  verbose: boolean;
  /** Draw a live display (stderr is a terminal and not --json/--quiet). @default stderr.isTTY */
  tty?: boolean;
  /** Seconds between progress lines off a terminal. @default 5 */
  progressIntervalMs?: number;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * The one place events become output. Humans get lines on stderr (results such as the summary or
 * `status` go to stdout, so `2>/dev/null` leaves just the answer); machines get one JSON object per
 * line on stdout. Everything passes through the redactor.
 */
export class Output {
  readonly json: boolean;
  readonly #quiet: boolean;
  readonly #minLevel: number;
  readonly #tty: boolean;
  readonly #interval: number;
  readonly #stdout: NodeJS.WritableStream;
  readonly #stderr: NodeJS.WritableStream;
  #progress: ProgressDisplay | undefined;
  #jsonProgressTimer: NodeJS.Timeout | undefined;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.#quiet = options.quiet;
    this.#minLevel = options.verbose ? RANK.debug : options.quiet ? RANK.warn : RANK.info;
    this.#stdout = options.stdout ?? process.stdout;
    this.#stderr = options.stderr ?? process.stderr;
    this.#tty = options.tty ?? Boolean((this.#stderr as { isTTY?: boolean }).isTTY);
    this.#interval = options.progressIntervalMs ?? 5000;
  }

  /** The Logger handed to the core. */
  readonly log: Logger = (event: LogEvent): void => {
    if (RANK[event.level] < this.#minLevel) return;
    if (this.json) {
      this.#writeJson(event);
      return;
    }
    const prefix = event.level === 'info' ? '' : `${event.level}: `;
    const stamp = this.#tty ? '' : `${new Date().toISOString()} `;
    const fix = typeof event.fix === 'string' && event.level !== 'debug' ? `\n  fix: ${event.fix}` : '';
    this.#line(`${stamp}${prefix}${event.message}${fix}`);
  };

  info(event: string, message: string, fields: Record<string, unknown> = {}): void {
    this.log({ level: 'info', event, message, ...fields });
  }

  warn(event: string, message: string, fields: Record<string, unknown> = {}): void {
    this.log({ level: 'warn', event, message, ...fields });
  }

  /** Starts the progress display suited to where output goes. */
  startProgress(): ProgressDisplay {
    this.#progress?.stop();
    const write = (line: string): void => this.#writeErr(line);
    if (this.json) {
      const p = new SilentProgress();
      this.#jsonProgressTimer = setInterval(() => this.#writeJson(progressEvent(p.state)), this.#interval);
      this.#jsonProgressTimer.unref();
      this.#progress = p;
    } else if (this.#quiet) {
      this.#progress = new SilentProgress(write);
    } else if (this.#tty) {
      this.#progress = new TtyProgress(this.#stderr);
    } else {
      this.#progress = new LineProgress(write, this.#interval);
    }
    return this.#progress;
  }

  stopProgress(): void {
    if (this.#jsonProgressTimer) clearInterval(this.#jsonProgressTimer);
    this.#jsonProgressTimer = undefined;
    this.#progress?.stop();
    this.#progress = undefined;
  }

  /** A result for the reader (summary, status, export): stdout, shown even with --quiet. */
  result(text: string): void {
    if (this.json) return;
    this.#stdout.write(`${redactor.redact(text)}${text.endsWith('\n') ? '' : '\n'}`);
  }

  /** A structured result: one JSON event in --json mode. */
  resultEvent(event: string, message: string, fields: Record<string, unknown>): void {
    if (this.json) this.#writeJson({ level: 'info', event, message, ...fields });
  }

  /** A fatal error, shown in every mode. */
  error(message: string, fields: Record<string, unknown> = {}): void {
    if (this.json) this.#writeJson({ level: 'error', event: 'cli.error', message, ...fields });
    else {
      const fix = typeof fields.fix === 'string' ? `\n  fix: ${fields.fix}` : '';
      this.#line(`error: ${message}${fix}`);
    }
  }

  #line(text: string): void {
    if (this.#progress) this.#progress.log(redactor.redact(text));
    else this.#writeErr(text);
  }

  #writeErr(text: string): void {
    this.#stderr.write(`${redactor.redact(text)}\n`);
  }

  #writeJson(event: LogEvent): void {
    const record = redactor.redactValue({ time: new Date().toISOString(), ...event });
    this.#stdout.write(`${JSON.stringify(record)}\n`);
  }
}

function progressEvent(s: ProgressState): LogEvent {
  return {
    level: 'info',
    event: 'progress',
    message: `${s.phase}: ${counted(s.docsCrawled, 'doc')}, ${s.mediaFound} media, ${s.filesDone}/${s.filesTotal} files`,
    ...s,
  };
}
