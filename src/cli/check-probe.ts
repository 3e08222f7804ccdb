import { FeishuError } from '../feishu/errors.js';

/** What `init --check` found for one root (or a base embedded in a spreadsheet root). */
export type RootState =
  | 'readable'
  | 'not_shared'
  | 'not_found'
  | 'needs_manage'
  | 'download_disabled'
  | 'missing_scope'
  | 'unsupported'
  | 'not_probed'
  | 'error';

export interface RootCheck {
  /** e.g. `folder fldcn…`, `bitable bascn… (in sheet shtcn…)`. */
  what: string;
  scope: string;
  state: RootState;
  /** The line's words for the state, e.g. "readable, advanced permissions, records visible". */
  detail: string;
  problem?: string;
  fix?: string;
}

/** Scope names as the developer console lists them (Permissions & Scopes > search). */
export const SCOPES = {
  drive: 'drive:drive:readonly',
  wiki: 'wiki:wiki:readonly',
  docx: 'docx:document:readonly',
  sheets: 'sheets:spreadsheet:readonly',
  bitable: 'bitable:app:readonly',
  media: 'docs:document.media:download',
} as const;

/** States a backup cannot get past: the root (or a base it holds) cannot be read. */
export const UNREADABLE: ReadonlySet<RootState> = new Set([
  'not_shared',
  'not_found',
  'needs_manage',
  'download_disabled',
  'error',
]);

const SHARE_FIX =
  'Share it with the app: open it in Feishu, "..." > "More" > "Add document app" (or add the app as a collaborator of its folder or wiki space), then run init --check again.';

export async function probe(what: string, scope: string, run: () => Promise<unknown>): Promise<RootCheck> {
  try {
    await run();
    return { what, scope, state: 'readable', detail: 'readable' };
  } catch (e) {
    return failed(what, scope, e);
  }
}

function failed(what: string, scope: string, e: unknown): RootCheck {
  if (!(e instanceof FeishuError))
    return {
      what,
      scope,
      state: 'error',
      detail: 'error',
      problem: e instanceof Error ? e.message : String(e),
    };
  const out: RootCheck = { what, scope, state: 'error', detail: 'error', problem: e.message };
  if (e.kind === 'credentials') {
    out.state = 'missing_scope';
    out.detail = 'missing scope';
    out.fix = `Enable the scope "${scope}" under Permissions & Scopes in the developer console, then publish a new app version.`;
  } else if (e.kind === 'permission') {
    out.state = 'not_shared';
    out.detail = 'not shared with the app';
    out.fix = SHARE_FIX;
  } else if (e.kind === 'not_found') {
    out.state = 'not_found';
    out.detail = 'not found (deleted, moved, or a wrong token)';
    out.fix = "Check the root's URL or token in the config; copy it again from the browser.";
  } else if (e.fix) {
    out.fix = e.fix;
  }
  return out;
}
