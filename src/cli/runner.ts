import { describeFailure } from './errors.js';
import { ExitCode } from './exit-codes.js';
import type { GlobalArgs } from './options.js';
import { Output } from './output.js';

/**
 * Runs a command body and turns its outcome into an exit code: the body returns one, or throws and
 * the error is sorted (config 2, lock 6, ...). Sets process.exitCode rather than exiting, so the
 * event loop drains (stdout flushed, database closed) before the process ends.
 */
export async function runCommand(args: GlobalArgs, body: (output: Output) => Promise<number>): Promise<void> {
  const output = new Output({
    json: args.json,
    quiet: args.quiet,
    verbose: args.verbose,
    progressIntervalMs: (args.progressInterval ?? 5) * 1000,
  });
  let code: number;
  try {
    code = await body(output);
  } catch (e) {
    output.stopProgress();
    const failure = describeFailure(e);
    const fields: Record<string, unknown> = { exitCode: failure.exitCode };
    if (failure.code) fields.code = failure.code;
    if (failure.fix) fields.fix = failure.fix;
    output.error(failure.message, fields);
    if (args.verbose && failure.exitCode === ExitCode.error && e instanceof Error && e.stack && !args.json) {
      process.stderr.write(`${e.stack}\n`);
    }
    code = failure.exitCode;
  }
  process.exitCode = code;
}
