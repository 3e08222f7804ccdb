/**
 * Process exit codes, documented in the README ("Exit codes"). Stable: scripts and cron wrappers
 * branch on them, so a number never changes meaning; new outcomes get new numbers.
 */
export const ExitCode = {
  /** Everything in scope is backed up (or the command did what it was asked). */
  ok: 0,
  /** An unexpected error: a bug, a full disk, an unreadable inventory. */
  error: 1,
  /** Bad flags, bad config, bad credentials or a missing app permission: fix the setup, then rerun. */
  config: 2,
  /** The run finished but some files failed (or `verify` found missing or corrupt files). */
  partial: 3,
  /** A quota is spent with work left: the daily download quota (the next run continues) or the tenant's monthly API calls (99991403). */
  quota: 4,
  /** A run budget (--max-downloads, --max-bytes, --max-duration) was reached with work left. */
  budget: 5,
  /** Another run holds the inventory lock. */
  locked: 6,
  /**
   * A root cannot be read at all (not shared with the app, deleted, or an advanced base without
   * manage rights): `init --check`, and a crawl whose root document failed. Not one file failing (3).
   */
  rootUnreadable: 7,
  /** Interrupted by SIGINT/SIGTERM; the next run resumes. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The `runs.status` recorded for an exit code. */
export function runStatusFor(code: number): string {
  switch (code) {
    case ExitCode.ok:
      return 'ok';
    case ExitCode.partial:
    case ExitCode.rootUnreadable:
      return 'partial';
    case ExitCode.quota:
      return 'quota';
    case ExitCode.budget:
      return 'budget';
    case ExitCode.interrupted:
      return 'interrupted';
    default:
      return 'failed';
  }
}
