import type { Config } from '../config/index.js';
import type { FeishuClient } from '../feishu/client.js';
import { FeishuError } from '../feishu/errors.js';
import { feishuExitCode, SetupError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { setupFix } from './setup-fixes.js';

/**
 * Gets the tenant token before the crawl. A wrong App ID or secret, or a base URL nothing answers
 * at, then stops the run at once with one message and its fix, instead of failing every root as
 * "temporary" after minutes of retries. The token is cached, so the crawl sends no extra request.
 */
export async function preflight(client: FeishuClient, config: Config): Promise<void> {
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
