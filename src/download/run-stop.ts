import type { DownloadSummary, StopReason } from './types.js';

/** When several reasons stop a run, the worst is the one reported. */
const STOP_PRIORITY: Record<StopReason, number> = {
  complete: 0,
  budget: 1,
  quota: 2,
  interrupted: 3,
  fatal: 4,
};

/** The run's stop state: the worst reason given, the first fatal error (kept in the summary). */
export class RunStop {
  /** The worst reason given so far; 'complete' until one is. */
  reason: StopReason = 'complete';
  private readonly internal = new AbortController();
  /** Aborted by a fatal stop, so in-flight requests end; the user's own signal is separate. */
  readonly signal: AbortSignal = this.internal.signal;
  /** Called on every stop: workers waiting for a free lane look again, and see the run stopping. */
  onStop: () => void = () => undefined;

  constructor(private readonly summary: DownloadSummary) {}

  readonly stop = (
    reason: Exclude<StopReason, 'complete'>,
    fatal?: { code: string; message: string },
  ): void => {
    if (STOP_PRIORITY[reason] > STOP_PRIORITY[this.reason]) this.reason = reason;
    if (fatal && !this.summary.fatal) this.summary.fatal = fatal;
    if (reason === 'fatal') this.internal.abort(new Error(fatal?.message ?? 'fatal error'));
    this.onStop();
  };
}
