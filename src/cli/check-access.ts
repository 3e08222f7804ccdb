import type { Config, Root } from '../config/index.js';
import type { FeishuClient } from '../feishu/client.js';
import { FeishuError } from '../feishu/errors.js';

/** One permission check, with the scope to enable in the developer console when it fails. */
export interface AccessCheck {
  what: string;
  scope: string;
  ok: boolean;
  /** Why it failed, when it did. */
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

type Probe = { what: string; scope: string; run: () => Promise<unknown> };

/**
 * Gets a tenant token, then makes one cheap read per product the roots use, so a missing scope shows
 * up now, named, rather than as thousands of failures in the first backup.
 */
export async function checkAccess(
  client: FeishuClient,
  config: Config,
  signal?: AbortSignal,
): Promise<AccessCheck[]> {
  const results: AccessCheck[] = [];
  try {
    await client.token();
    results.push({ what: 'app credentials (tenant access token)', scope: '-', ok: true });
  } catch (e) {
    results.push(failed('app credentials (tenant access token)', '-', e));
    return results;
  }
  const sdk = client.sdk;
  const probes: Probe[] = [];
  const first = <T extends Root['type']>(type: T): Extract<Root, { type: T }> | undefined =>
    config.roots.find((r): r is Extract<Root, { type: T }> => r.type === type);
  probes.push({
    what: 'list the drive',
    scope: SCOPES.drive,
    run: () =>
      client.call(
        'drive.list',
        'GET /open-apis/drive/v1/files',
        (o) => sdk.drive.v1.file.list({ params: { page_size: 1 } }, o),
        signal,
      ),
  });
  if (config.roots.some((r) => r.type === 'wiki' || r.type === 'wiki_node')) {
    probes.push({
      what: 'list wiki spaces',
      scope: SCOPES.wiki,
      run: () =>
        client.call(
          'wiki.spaces',
          'GET /open-apis/wiki/v2/spaces',
          (o) => sdk.wiki.v2.space.list({ params: { page_size: 1 } }, o),
          signal,
        ),
    });
  }
  const docx = first('docx');
  if (docx) {
    probes.push({
      what: `read docx ${docx.token}`,
      scope: SCOPES.docx,
      run: () =>
        client.call(
          'docx.document',
          'GET /open-apis/docx/v1/documents/:id',
          (o) => sdk.docx.v1.document.get({ path: { document_id: docx.token } }, o),
          signal,
        ),
    });
  }
  const sheet = first('sheet');
  if (sheet) {
    probes.push({
      what: `read spreadsheet ${sheet.token}`,
      scope: SCOPES.sheets,
      run: () =>
        client.call(
          'sheets.query',
          'GET /open-apis/sheets/v3/spreadsheets/:token/sheets/query',
          (o) => sdk.sheets.v3.spreadsheetSheet.query({ path: { spreadsheet_token: sheet.token } }, o),
          signal,
        ),
    });
  }
  const bitable = first('bitable');
  if (bitable) {
    probes.push({
      what: `read bitable ${bitable.token}`,
      scope: SCOPES.bitable,
      run: () =>
        client.call(
          'bitable.tables',
          'GET /open-apis/bitable/v1/apps/:app_token/tables',
          (o) =>
            sdk.bitable.v1.appTable.list({ path: { app_token: bitable.token }, params: { page_size: 1 } }, o),
          signal,
        ),
    });
  }
  for (const p of probes) {
    try {
      await p.run();
      results.push({ what: p.what, scope: p.scope, ok: true });
    } catch (e) {
      results.push(failed(p.what, p.scope, e));
    }
  }
  return results;
}

function failed(what: string, scope: string, e: unknown): AccessCheck {
  if (!(e instanceof FeishuError))
    return { what, scope, ok: false, problem: e instanceof Error ? e.message : String(e) };
  const out: AccessCheck = { what, scope, ok: false, problem: e.message };
  if (e.kind === 'credentials' && scope !== '-') {
    out.fix = `Enable the scope "${scope}" under Permissions & Scopes in the developer console, then publish a new app version.`;
  } else if (e.kind === 'permission') {
    out.fix = `Share the document, folder or wiki space with the app (add it as a collaborator), then run init again.`;
  } else if (e.fix) {
    out.fix = e.fix;
  }
  return out;
}
