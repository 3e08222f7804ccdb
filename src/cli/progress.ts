import cliProgress from 'cli-progress';
import { counted, displayWidth, formatBytes, formatCount, formatDuration, wrapText } from './format.js';

/** What the live display shows; every field is optional so each phase fills in what it knows. */
export interface ProgressState {
  phase: string;
  docsCrawled: number;
  mediaFound: number;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  failed: number;
  /** Files to download whose size Feishu does not tell before the download: no byte total or ETA covers them. */
  unknownSize: number;
  quotaLeft: number | undefined;
}

export function emptyProgress(phase = 'starting'): ProgressState {
  return {
    phase,
    docsCrawled: 0,
    mediaFound: 0,
    filesDone: 0,
    filesTotal: 0,
    bytesDone: 0,
    bytesTotal: 0,
    failed: 0,
    unknownSize: 0,
    quotaLeft: undefined,
  };
}

/** Bytes per second over the last ~10 s, so the rate and ETA follow the current speed. */
export class RateMeter {
  #samples: { t: number; bytes: number }[] = [];
  constructor(private readonly now: () => number = Date.now) {}

  sample(bytes: number): void {
    const t = this.now();
    this.#samples.push({ t, bytes });
    while (this.#samples.length > 2 && t - this.#samples[0]!.t > 10_000) this.#samples.shift();
  }

  get bytesPerSecond(): number {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.t - first.t < 500) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }
}

/**
 * The two status lines, each kept under 80 columns. Counts are the summary's (media files in the
 * inventory, the quota counter the downloader spends); an ETA only when every size left is known.
 */
export function describeProgress(s: ProgressState, bytesPerSecond: number): { head: string; tail: string } {
  const quota = s.quotaLeft === undefined ? '' : `  quota left ${formatCount(s.quotaLeft)}`;
  const failed = s.failed ? `  ${formatCount(s.failed)} failed` : '';
  const head = `${s.phase.padEnd(8)} ${counted(s.docsCrawled, 'doc')}  ${counted(s.mediaFound, 'media file')}${quota}${failed}`;
  if (s.filesTotal === 0 && s.phase === 'crawl')
    return { head, tail: 'listing documents; downloads start after the crawl' };
  const files = `${formatCount(s.filesDone)}/${formatCount(s.filesTotal)} files`;
  const rate = bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '-';
  if (s.unknownSize > 0) {
    // "93 MB/106 MB ETA 2s" would be a promise with 140 files of unknown size still to come.
    return {
      head,
      tail: `${files}  ${formatBytes(s.bytesDone)}, ${counted(s.unknownSize, 'size')} unknown  ${rate}`,
    };
  }
  const left = s.bytesTotal - s.bytesDone;
  const eta = bytesPerSecond > 0 && left > 0 ? formatDuration((left / bytesPerSecond) * 1000) : '-';
  const tail =
    `${files}  ` +
    // Sizes are not always known before a download; never show "5 MB/3 MB".
    `${s.bytesTotal >= s.bytesDone ? `${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)}` : formatBytes(s.bytesDone)}` +
    `  ${rate}  ETA ${eta}`;
  return { head, tail };
}

export interface ProgressDisplay {
  update(patch: Partial<ProgressState>): void;
  /** Prints a log line without garbling the display. */
  log(line: string): void;
  stop(): void;
  readonly state: ProgressState;
}

/** A live two-line display on a terminal (cli-progress draws and redraws it). */
export class TtyProgress implements ProgressDisplay {
  readonly state = emptyProgress();
  readonly #meter = new RateMeter();
  readonly #multi: cliProgress.MultiBar;
  readonly #head: cliProgress.SingleBar;
  readonly #bar: cliProgress.SingleBar;
  #stopped = false;

  constructor(private readonly stream: NodeJS.WritableStream) {
    this.#multi = new cliProgress.MultiBar(
      {
        stream,
        fps: 5,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        barsize: 12,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        // Truncate rather than wrap on a narrow terminal: wrapped lines break the redraw.
        linewrap: false,
        forceRedraw: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.#head = this.#multi.create(1, 0, { text: '' }, { format: '{text}' });
    this.#bar = this.#multi.create(1, 0, { text: '' }, { format: '{bar} {percentage}% {text}' });
  }

  update(patch: Partial<ProgressState>): void {
    Object.assign(this.state, patch);
    this.#meter.sample(this.state.bytesDone);
    if (this.#stopped) return;
    const { head, tail } = describeProgress(this.state, this.#meter.bytesPerSecond);
    this.#head.update(0, { text: head });
    // Percent by files: sizes are not always known in advance, file counts are.
    this.#bar.setTotal(Math.max(1, this.state.filesTotal));
    // Failed files are finished too: the bar reaches 100% when nothing is left to try.
    this.#bar.update(this.state.filesDone + this.state.failed, { text: tail });
  }

  log(line: string): void {
    if (this.#stopped) this.stream.write(`${line}\n`);
    else {
      // cli-progress writes a log line over the old bars without clearing them: pad every physical
      // line to the width so no remnant of a bar shows after a short line.
      const width = Math.max(40, this.#columns() - 1);
      const lines = wrapText(line, width, '  ').split('\n');
      this.#multi.log(
        `${lines.map((l) => l + ' '.repeat(Math.max(0, width - displayWidth(l)))).join('\n')}\n`,
      );
    }
  }

  #columns(): number {
    return (this.stream as { columns?: number }).columns ?? 80;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    // cli-progress writes logged lines only on its next redraw, and stop() does not redraw: the
    // last lines (the downloader's closing line, the failed-files warning) would be lost.
    this.#multi.update();
    this.#multi.stop();
  }
}

/** Off a terminal (cron, CI): one plain line every `intervalMs`, and only when something moved. */
export class LineProgress implements ProgressDisplay {
  readonly state = emptyProgress();
  readonly #meter = new RateMeter();
  readonly #timer: NodeJS.Timeout;
  #last = '';

  constructor(
    private readonly write: (line: string) => void,
    intervalMs: number,
  ) {
    this.#timer = setInterval(() => this.#tick(), intervalMs);
    this.#timer.unref();
  }

  update(patch: Partial<ProgressState>): void {
    Object.assign(this.state, patch);
    this.#meter.sample(this.state.bytesDone);
  }

  log(line: string): void {
    this.write(line);
  }

  #tick(): void {
    const { head, tail } = describeProgress(this.state, this.#meter.bytesPerSecond);
    const line = `${head.trim()} | ${tail}`;
    if (line !== this.#last) this.write(`progress: ${line}`);
    this.#last = line;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** --quiet and --json: state is kept (for the summary and JSON progress events) but nothing is drawn. */
export class SilentProgress implements ProgressDisplay {
  readonly state = emptyProgress();
  constructor(private readonly write: (line: string) => void = () => undefined) {}
  update(patch: Partial<ProgressState>): void {
    Object.assign(this.state, patch);
  }
  log(line: string): void {
    this.write(line);
  }
  stop(): void {}
}
