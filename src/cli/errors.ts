import { LoginError } from '../auth/errors.js';
import { ConfigError } from '../config/errors.js';
import { FeishuError } from '../feishu/errors.js';
import { LockHeldError } from '../inventory/lock.js';
import { SchemaTooNewError } from '../inventory/migrate.js';
import { TargetError } from '../target/errors.js';
import { ExitCode } from './exit-codes.js';
import { setupFix } from './setup-fixes.js';
import { InterruptedError } from './signals.js';

/** A usage problem the CLI found itself (a bad flag value, a missing file): exit 2 with a fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

/**
 * A call that failed because of the setup (wrong credentials, an unreachable base URL), found before
 * any work started: its own message and fix, and the exit code of the FeishuError it wraps.
 */
export class SetupError extends Error {
  override readonly name = 'SetupError';
  constructor(
    message: string,
    readonly fix: string | undefined,
    readonly exitCode: number,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface Failure {
  exitCode: number;
  message: string;
  fix?: string;
  code?: string;
}

/** Sorts whatever ended a command into an exit code, a message and a fix. */
export function describeFailure(e: unknown): Failure {
  if (e instanceof ConfigError) return { exitCode: ExitCode.config, message: e.message, code: e.code };
  if (e instanceof UsageError)
    return withFix({ exitCode: ExitCode.config, message: e.message, code: e.code }, e.fix);
  if (e instanceof LoginError)
    return withFix({ exitCode: ExitCode.config, message: e.message, code: e.code }, e.fix);
  if (e instanceof SetupError)
    return withFix({ exitCode: e.exitCode, message: e.message, code: e.code }, e.fix);
  if (e instanceof LockHeldError) return { exitCode: ExitCode.locked, message: e.message, code: e.code };
  if (e instanceof InterruptedError)
    return { exitCode: ExitCode.interrupted, message: e.message, code: e.code };
  if (e instanceof SchemaTooNewError) return { exitCode: ExitCode.error, message: e.message, code: e.code };
  if (e instanceof TargetError)
    return withFix({ exitCode: ExitCode.config, message: e.message, code: e.code }, e.fix);
  if (e instanceof FeishuError) {
    return withFix(
      { exitCode: feishuExitCode(e), message: e.message, code: `feishu.${e.kind}` },
      setupFix(e, 'the base URL') ?? e.fix,
    );
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  const out: Failure = { exitCode: ExitCode.error, message: err.message };
  if (typeof code === 'string') out.code = code;
  if (code === 'ENOSPC')
    out.fix = 'The disk is full: free space or point outputDir elsewhere, then run again.';
  if (code === 'EACCES' || code === 'EPERM')
    out.fix = 'Check that you may write to outputDir and the database folder.';
  return out;
}

function withFix(f: Failure, fix: string | undefined): Failure {
  if (fix) f.fix = fix;
  return f;
}

/** Credentials are setup (2); a spent quota waits for tomorrow (4); anything else is an error (1). */
export function feishuExitCode(e: FeishuError): number {
  return e.kind === 'credentials' ? ExitCode.config : e.kind === 'quota' ? ExitCode.quota : ExitCode.error;
}
