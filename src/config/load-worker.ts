/**
 * The worker thread of load-apart.ts: checks the config with `loadConfig`, posts the result (or the
 * error) and wakes the waiting thread. Every outcome wakes it, a failure to load the checker included.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import type { LoadConfigOptions } from './load.js';
import type { Answer } from './load-apart.js';

const { options, done, port } = workerData as {
  options: LoadConfigOptions;
  done: Int32Array;
  port: MessagePort;
};

let answer: Answer;
try {
  const { loadConfig } = await import('./load.js');
  const { ConfigError } = await import('./errors.js');
  try {
    answer = { config: loadConfig(options) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    answer = { configError: { problems: e.problems, message: e.message } };
  }
} catch (e) {
  const error = e instanceof Error ? e : new Error(String(e));
  answer = { error: { message: error.message, ...(error.stack ? { stack: error.stack } : {}) } };
}
port.postMessage(answer);
port.close();
Atomics.store(done, 0, 1);
Atomics.notify(done, 0);
