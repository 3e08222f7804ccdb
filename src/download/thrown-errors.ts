import { LoginError } from '../auth/errors.js';
import type { FeishuError } from '../feishu/errors.js';
import type { MediaRow } from '../inventory/media-queue.js';
import { asLocalFatal, LocalFatalError } from '../local-errors.js';
import { type FileResult, park } from './file-result.js';
import type { PartPaths } from './part-file.js';
import type { RunContext } from './run-context.js';

/**
 * What an error thrown out of a file's attempt means for the run: a local fatal error (a full disk), an
 * ended login or bad credentials stop it, since every other file would fail the same way; anything
 * else is rethrown unless the run was aborted.
 */
export async function onThrown(
  ctx: RunContext,
  row: MediaRow,
  paths: PartPaths,
  e: unknown,
): Promise<FileResult> {
  const fatal = e instanceof LocalFatalError ? e : asLocalFatal(e, ctx.outputDir);
  if (fatal) {
    ctx.stop('fatal', { code: fatal.code, message: fatal.message });
    await park(ctx, row, paths.part).catch(() => undefined);
    return { type: 'parked' };
  }
  if (e instanceof LoginError) {
    // The user's login ended: every other file would fail the same way.
    ctx.stop('fatal', { code: e.code, message: `${e.message} ${e.fix}` });
    await park(ctx, row, paths.part).catch(() => undefined);
    return { type: 'parked' };
  }
  if ((e as { kind?: string }).kind === 'credentials') {
    const err = e as FeishuError;
    ctx.stop('fatal', { code: err.code, message: `${err.message}. ${err.fix ?? ''}`.trim() });
    return { type: 'parked' };
  }
  if (ctx.signal.aborted) return await park(ctx, row, paths.part);
  throw e;
}
