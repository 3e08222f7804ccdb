import type { Logger } from '../events.js';
import { FeishuError } from '../feishu/errors.js';
import type { DocumentRepo } from '../inventory/documents.js';
import type { Db } from '../inventory/open.js';
import { setRootDocument, upsertRoot } from '../inventory/roots.js';
import type { Root } from '../roots/types.js';
import { rootTitle, titleTakesACall } from '../sources/root-title.js';
import type { SourceContext, Target } from '../sources/types.js';
import { rootTarget } from './root-target.js';
import type { Scheduler } from './scheduler.js';
import type { Tally } from './tally.js';
import { keyOf, type Visits } from './visits.js';

export interface CrawlRootsOptions {
  db: Db;
  docs: DocumentRepo;
  runId: number;
  ctx: SourceContext;
  visits: Visits;
  scheduler: Scheduler;
  tally: Tally;
  log: Logger | undefined;
}

/** The configured roots of one crawl: where it starts, and what they are called. */
export class CrawlRoots {
  /** `type:token` of each root's own document. */
  readonly #keys: ReadonlySet<string>;

  constructor(
    private readonly roots: readonly Root[],
    private readonly options: CrawlRootsOptions,
  ) {
    this.#keys = new Set(roots.map((r) => keyOf(rootTarget(r))));
  }

  /** Whether the document is a configured root's own (a root that cannot be read is its own exit reason). */
  has(target: Target): boolean {
    return this.#keys.has(keyOf(target));
  }

  /**
   * Records each configured root and the document it stands for, and schedules the read of that
   * document (a root no source can read is marked skipped instead). Returns the roots' ids.
   */
  register(): number[] {
    const { db, docs, visits, scheduler, tally, log } = this.options;
    const rootIds: number[] = [];
    for (const root of this.roots) {
      const rootId = upsertRoot(db, root);
      rootIds.push(rootId);
      const target = rootTarget(root);
      const { id, job } = visits.meet(target, undefined, rootId);
      setRootDocument(db, rootId, id);
      if (job && root.type === 'unsupported') {
        docs.markFailed(job.row.id, { status: 'skipped', kind: 'unsupported', message: root.reason });
        tally.count(target.type, 'skipped');
        log?.({
          level: 'warn',
          event: 'crawl.root.unsupported',
          message: `Root ${root.token} is ${root.reason}`,
          token: root.token,
        });
        continue;
      }
      scheduler.add([job]);
    }
    return rootIds;
  }

  /**
   * Names the roots no listing names (a drive folder, a wiki space, configured by token or URL): one
   * call per such root and crawl, so a renamed root is renamed here too. The title is stored as
   * documents' titles are; the view, the report, `status`, failure lines and the export read it from
   * there. A refused or failed call keeps the fallback name (`Folder <token>`) and fails nothing.
   */
  async name(): Promise<void> {
    const { docs, runId, ctx, log } = this.options;
    for (const root of this.roots) {
      const target = rootTarget(root);
      if (target.title || !titleTakesACall(target.type)) continue;
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
}
