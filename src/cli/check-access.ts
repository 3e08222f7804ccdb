import { LoginError } from '../auth/errors.js';
import type { Config } from '../config/index.js';
import type { FeishuClient } from '../feishu/client.js';
import { FeishuError } from '../feishu/errors.js';
import { checkDownloads } from './check-downloads.js';
import { checkRoot, type RootCheck, type RootState, SCOPES, UNREADABLE } from './check-roots.js';
import { setupFix } from './setup-fixes.js';

export { SCOPES } from './check-roots.js';

/** One line of `init --check`: the credentials, or one root (or a base a spreadsheet root holds). */
export interface AccessCheck {
  what: string;
  scope: string;
  ok: boolean;
  /** For roots: readable, not_shared, needs_manage… (check-roots.ts). */
  state?: RootState;
  /** The words for the state on the line. */
  detail?: string;
  /** Why it failed, when it did. */
  problem?: string;
  fix?: string;
}

/** What `init --check` found, and what the exit code follows from. */
export interface AccessReport {
  checks: AccessCheck[];
  /** The credentials or a scope are wrong: nothing can work (exit 2). */
  setupProblem: boolean;
  /** Roots (or bases inside them) that cannot be read, or whose files cannot be downloaded. */
  unreadable: string[];
  /** A document root's download setting could not be asked (the optional member:auth scope). */
  downloadsUnchecked?: boolean;
}

/**
 * Gets a tenant token, then probes each root with one cheap read (check-roots.ts), so a root the
 * app cannot read, or a missing scope, shows up now, named, rather than as an empty first backup.
 */
export async function checkAccess(
  client: FeishuClient,
  config: Config,
  signal?: AbortSignal,
): Promise<AccessReport> {
  const checks: AccessCheck[] = [];
  const credentials =
    client.identity === 'user'
      ? 'the saved user login (user access token)'
      : 'app credentials (tenant access token)';
  try {
    await client.token();
    checks.push({ what: credentials, scope: '-', ok: true });
  } catch (e) {
    const problem = e instanceof Error ? e.message : String(e);
    // Which credential is wrong, or why the base URL is unreachable: more than "check appId/appSecret".
    const fix =
      setupFix(e, config.baseUrl) ??
      (e instanceof FeishuError || e instanceof LoginError ? e.fix : undefined);
    checks.push({
      what: credentials,
      scope: '-',
      ok: false,
      problem,
      ...(fix ? { fix } : {}),
    });
    return { checks, setupProblem: true, unreadable: [] };
  }
  const roots: RootCheck[] = [];
  let downloadsUnchecked = false;
  for (const root of config.roots) {
    const found = await checkRoot({ client, signal }, root);
    if ((await checkDownloads(client, root, found[0]!, signal)) === 'unchecked') downloadsUnchecked = true;
    roots.push(...found);
  }
  for (const r of roots) {
    const ok = r.state === 'readable' || r.state === 'not_probed' || r.state === 'unsupported';
    checks.push({
      what: r.what,
      scope: r.scope,
      ok,
      state: r.state,
      detail: r.detail,
      ...(r.problem ? { problem: r.problem } : {}),
      ...(r.fix ? { fix: r.fix } : {}),
    });
  }
  return {
    checks,
    setupProblem: roots.some((r) => r.state === 'missing_scope'),
    downloadsUnchecked,
    unreadable: roots.filter((r) => UNREADABLE.has(r.state)).map((r) => r.what),
  };
}

/** The scope every download needs, checked only by the first download (no cheap read exists). */
export const MEDIA_SCOPE = SCOPES.media;
