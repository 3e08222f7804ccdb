import { LoginError } from '../auth/errors.js';
import { asLocalFatal } from '../download/local-errors.js';
import { FeishuError } from '../feishu/errors.js';
import { DocumentDirectory } from '../inventory/document-directory.js';
import { describeDocument, documentsFailedFor } from '../inventory/failing-documents.js';
import type { FoundRef } from '../inventory/media-refs.js';
import { SOURCES, UNSUPPORTED_REASONS } from '../sources/registry.js';
import type { CrawlRun } from './crawl-run.js';
import { readDocument } from './read-document.js';
import type { Job } from './visits.js';
import { writePage } from './write-page.js';

/**
 * Takes one job: a drive file root, a type no source reads, or a document its source reads. A failure
 * is recorded on the document and the crawl goes on, unless nothing else can work either.
 */
export async function processJob(run: CrawlRun, job: Job): Promise<void> {
  const { signal, log, docs } = run;
  const { target, row } = job;
  const source = SOURCES.get(target.type);
  try {
    if (target.type === 'file') {
      // A drive file named as a root: the file is the media.
      const ref: FoundRef = {
        fileToken: target.token,
        location: 'root',
        kind: 'drive_file',
        source: 'drive_file',
      };
      writePage(run, job, [ref], [], () => docs.markDone(row.id, null));
      run.tally.count(target.type, 'changed');
      return;
    }
    if (!source) {
      const reason = UNSUPPORTED_REASONS[target.type] ?? `No source reads documents of type ${target.type}.`;
      docs.markFailed(row.id, { status: 'skipped', kind: 'unsupported', message: reason });
      run.tally.count(target.type, 'skipped');
      log?.({
        level: 'info',
        event: 'crawl.document.skipped',
        message: reason,
        type: target.type,
        token: target.token,
      });
      return;
    }
    await readDocument(run, job, source);
  } catch (e) {
    if (signal?.aborted) return;
    if (e instanceof LoginError) {
      // The user's login ended mid-run: nothing else can be read either.
      run.scheduler.halt(e);
      return;
    }
    // A full disk or an unwritable output directory (snapshots) fails every document alike: stop
    // the run with that message instead of recording each document as failed.
    const local = asLocalFatal(e, (e as { path?: string }).path ?? 'the output directory');
    if (local) {
      run.scheduler.halt(local);
      return;
    }
    const err =
      e instanceof FeishuError
        ? e
        : new FeishuError(`crawl ${target.type} ${target.token}`, {
            msg: String(e),
            cause: e,
            kind: 'protocol',
          });
    if (err.kind === 'credentials' || err.kind === 'quota') {
      // Nothing else will work either (bad app, or the tenant's monthly API calls are spent): stop
      // and let the user act; what was read so far stays in the inventory.
      run.scheduler.halt(err);
      return;
    }
    docs.markFailed(row.id, { kind: err.kind, message: err.message, fix: err.fix });
    run.tally.count(target.type, 'failed');
    // A root that cannot be read at all is its own exit reason (ExitCode.rootUnreadable).
    const root = run.roots.has(target);
    run.tally.failure({
      ...(root ? { root: true } : {}),
      type: target.type,
      token: target.token,
      title: target.title ?? row.title ?? undefined,
      kind: err.kind,
      message: err.message,
      fix: err.fix,
    });
    // Named as people know it (title, URL, the root it was found under), as every failure is.
    const [named] = documentsFailedFor(run.db, new DocumentDirectory(run.db), err.kind, 1, row.id).documents;
    log?.({
      level: 'warn',
      event: 'crawl.document.failed',
      message: `${named ? describeDocument(named) : `${target.type} ${target.title ?? target.token}`}: ${err.message}${err.fix ? ` ${err.fix}` : ''}`,
      type: target.type,
      token: target.token,
      kind: err.kind,
      ...(named ? { document: named } : {}),
    });
  }
}
