import { FeishuError } from '../feishu/errors.js';
import { rootTitle } from '../sources/root-title.js';
import type { CrawlRun } from './crawl-run.js';
import { rootTarget } from './root-target.js';

/**
 * Names the roots no listing names (a drive folder, a wiki space, configured by token or URL): one
 * call per such root and crawl, so a renamed root is renamed here too. The title is stored as
 * documents' titles are; the view, the report, `status`, failure lines and the export read it from
 * there. A refused or failed call keeps the fallback name (`Folder <token>`) and fails nothing.
 */
export async function nameRoots(run: CrawlRun): Promise<void> {
  const { config, docs, runId, ctx, log } = run;
  for (const root of config.roots) {
    const target = rootTarget(root);
    if (target.title || (target.type !== 'folder' && target.type !== 'wiki_space')) continue;
    try {
      const title = await rootTitle(ctx, target);
      if (title) docs.see({ type: target.type, token: target.token, title }, runId);
    } catch (e) {
      // Interrupted: the crawl reports that itself.
      if (ctx.signal?.aborted) return;
      if (!(e instanceof FeishuError)) throw e;
      log?.({
        level: 'warn',
        event: 'crawl.root.untitled',
        message: `Root ${target.type} ${target.token}: its title could not be read (${e.message}); it is shown by its token.${e.fix ? ` ${e.fix}` : ''}`,
        token: target.token,
      });
    }
  }
}
