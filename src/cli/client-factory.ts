import type { Config } from '../config/index.js';
import { FeishuClient } from '../feishu/client.js';
import type { ShapeRecorder } from '../feishu/shapes/recorder.js';
import type { Output } from './output.js';

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
    onRetry: (e) =>
      output.log({
        ...e,
        level: 'debug',
        event: 'feishu.retry',
        message: `${e.operation}: ${e.kind}, retry ${e.attempt} in ${Math.round(e.delayMs)} ms`,
      }),
  });
}
