import { loginPathFor } from '../auth/token-file.js';
import type { RefreshStep } from '../auth/user-token.js';
import type { Config } from '../config/index.js';
import { FeishuClient } from '../feishu/client.js';
import type { ShapeRecorder } from '../feishu/shapes/recorder.js';
import type { Output } from './output.js';
import { redactor } from './redact.js';

/** The Feishu client for a run. Loaded lazily: the SDK takes a second to import, and --help, status and export never need it. */
export function makeClient(
  config: Config,
  output: Output,
  maxRetries?: number,
  shapes?: ShapeRecorder,
): FeishuClient {
  return new FeishuClient({
    ...(shapes ? { shapes } : {}),
    appId: config.appId,
    appSecret: config.appSecret,
    baseUrl: config.baseUrl,
    rates: { ...config.limits.rates, 'media.download': config.limits.downloadQps },
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(config.auth === 'user'
      ? {
          userLogin: {
            file: loginPathFor(config.database),
            onStep: failpoint(process.env.FEISHU_FAILPOINT),
            // The user's tokens are masked in every byte the CLI writes, like the app secret.
            onSecrets: (...values: (string | undefined)[]) => redactor.add(...values),
            onLockWait: () =>
              output.log({
                level: 'info',
                event: 'auth.refresh.wait',
                message: 'Another process is refreshing the Feishu login; waiting for it.',
              }),
          },
        }
      : {}),
    onRetry: (e) =>
      output.log({
        ...e,
        level: 'debug',
        event: 'feishu.retry',
        message: `${e.operation}: ${e.kind}, retry ${e.attempt} in ${Math.round(e.delayMs)} ms`,
      }),
  });
}

/**
 * A failpoint for the reliability tests: `FEISHU_FAILPOINT=refresh:<step>` (outside the FEISHU_BACKUP_ prefix, which is read as flags) kills the process
 * (SIGKILL, as `kill -9` does) right after that step of a token refresh. Unset in real use.
 */
function failpoint(spec: string | undefined): ((step: RefreshStep) => void) | undefined {
  const step = spec?.startsWith('refresh:') ? spec.slice('refresh:'.length) : undefined;
  if (!step) return undefined;
  return (s) => {
    if (s === step) process.kill(process.pid, 'SIGKILL');
  };
}
