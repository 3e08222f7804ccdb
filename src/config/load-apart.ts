/**
 * `loadConfig` run on a worker thread, answered synchronously: the CLI's one way to check a config.
 * The schema library (zod, 200+ modules with its locales) and what checking allocates then never
 * enter the main thread's heap, which held 4.3 MiB less when a download began (11.3 MiB of old
 * space in use instead of 15.6); the CLI's `download` of 2 GiB peaked 1.6 MiB lower (median of 6
 * rounds; BENCHMARKS.md, Download, "The CLI's peak RSS"). The worker ends once it has answered.
 * Same checks, same errors: the worker calls `loadConfig` itself, and a ConfigError comes back as
 * the same ConfigError with the same message. The commands import config modules that do not load
 * the schema (discover.ts, errors.ts, target-naming.ts), never config/index.ts.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { afterWorkerIsolate } from '../v8-memory.js';
import { ConfigError } from './errors.js';
import type { LoadConfigOptions } from './load.js';
import type { Config } from './types.js';

/** What the worker posts back (load-worker.ts). */
export type Answer =
  | { config: Config }
  | { configError: { problems: string[]; message: string } }
  | { error: { message: string; stack?: string } };

/**
 * A safety net, not a timing: a worker that cannot start (a broken install) would leave this thread
 * waiting forever. Checking a config takes tens of milliseconds.
 */
const NO_ANSWER_MS = 60_000;

export function loadConfigApart(options: LoadConfigOptions = {}): Config {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // The environment goes as a plain copy: `process.env` itself is not cloneable as such.
  const input: LoadConfigOptions = { ...options, env: { ...(options.env ?? process.env) } };
  const worker = new Worker(new URL('./load-worker.js', import.meta.url), {
    workerData: { options: input, done, port: port2 },
    transferList: [port2],
  });
  // Nothing else to wait for: the worker ends by itself once it has answered.
  worker.unref();
  const waited = Atomics.wait(done, 0, 0, NO_ANSWER_MS);
  // The worker's isolate set V8's young generation growth back to its default (v8-memory.ts).
  afterWorkerIsolate();
  const answer = receiveMessageOnPort(port1)?.message as Answer | undefined;
  port1.close();
  if (!answer) {
    void worker.terminate();
    throw new Error(
      `The configuration could not be checked (${waited === 'timed-out' ? 'no answer' : 'no result'} from its worker thread); reinstall feishu-backup.`,
    );
  }
  if ('config' in answer) return answer.config;
  if ('configError' in answer) {
    // The same ConfigError, message included (it names the file that was read).
    return throwAs(new ConfigError(answer.configError.problems), answer.configError.message);
  }
  const e = new Error(answer.error.message);
  if (answer.error.stack) e.stack = answer.error.stack;
  throw e;
}

function throwAs(error: Error, message: string): never {
  error.message = message;
  throw error;
}
