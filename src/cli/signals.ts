import { ExitCode } from './exit-codes.js';

export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  readonly code = 'INTERRUPTED';
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

export interface SignalHandling {
  /** Aborted on the first SIGINT/SIGTERM; the core stops taking work and parks in-flight files. */
  readonly signal: AbortSignal;
  /** The signal that interrupted the run, if any. */
  readonly received: NodeJS.Signals | undefined;
  dispose(): void;
}

export interface SignalOptions {
  /** Told once, on the first signal, so the user knows a second one exits at once. */
  onFirst: (signal: NodeJS.Signals) => void;
  /**
   * Runs on the second signal, just before `process.exit(130)`. Must be synchronous. Nothing is
   * corrupted by exiting there: SQLite (WAL) rolls back an unfinished transaction, downloads write
   * to `.part` files that the next run resumes, and the lock is released by the exit handler.
   */
  onSecond?: () => void;
}

/**
 * First SIGINT/SIGTERM: abort the controller the core honours, and keep running until it has
 * parked its work and the run is recorded. Second: exit at once with 130.
 */
export function handleSignals(options: SignalOptions): SignalHandling {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (received) {
      options.onSecond?.();
      process.exit(ExitCode.interrupted);
    }
    received = sig;
    options.onFirst(sig);
    controller.abort(new InterruptedError(sig));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose(): void {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
