import type { Config } from '../config/index.js';
import { FeishuError } from '../feishu/errors.js';
import { makeClient } from './client-factory.js';
import { feishuExitCode, SetupError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import type { Output } from './output.js';
import { setupFix } from './setup-fixes.js';

/**
 * Gets a tenant token before the crawl. A wrong App ID or secret, or a base URL nothing answers at,
 * then stops the run in seconds with one message and its fix, instead of failing every root as
 * "temporary" after half a minute of retries each. Its own client with two retries: a network
 * that is down now is reported now (the next run tries again); one token request more per run.
 */
export async function preflight(config: Config, output: Output): Promise<void> {
  const client = makeClient(config, output, 2);
  try {
    await client.token();
  } catch (e) {
    const fix = setupFix(e, config.baseUrl);
    if (!(e instanceof FeishuError)) throw e;
    if (!fix && e.kind !== 'credentials') throw e;
    const exitCode = e.kind === 'credentials' ? ExitCode.config : feishuExitCode(e);
    const what =
      e.kind === 'credentials'
        ? `Feishu refused the app credentials of ${config.appId} at ${config.baseUrl}`
        : `Cannot reach ${config.baseUrl}`;
    throw new SetupError(`${what}: ${e.message}`, fix ?? e.fix, exitCode, `feishu.${e.kind}`, { cause: e });
  }
}
