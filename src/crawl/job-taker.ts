import { LoginError } from '../auth/errors.js';
import type { Logger } from '../events.js';
import { FeishuError } from '../feishu/errors.js';
import { DocumentDirectory } from '../inventory/document-directory.js';
import type { DocumentRepo } from '../inventory/documents.js';
import { describeDocument, documentsFailedFor } from '../inventory/failing-documents.js';
import type { Db } from '../inventory/open.js';
import { asLocalFatal } from '../local-errors.js';
import { SOURCES, UNSUPPORTED_REASONS } from '../sources/registry.js';
import type { DocumentReader } from './document-reader.js';
import type { PassWriter } from './pass-writer.js';
import type { CrawlRoots } from './roots.js';
import type { Scheduler } from './scheduler.js';
import type { Tally } from './tally.js';
import type { Job } from './visits.js';

export interface JobTakerOptions {
  db: Db;
  docs: DocumentRepo;
  reader: DocumentReader;
  writer: PassWriter;
  roots: CrawlRoots;
  scheduler: Scheduler;
  tally: Tally;
  signal: AbortSignal | undefined;
  log: Logger | undefined;
}

/**
 * Takes one job: a drive file root, a type no source reads, or a document its source reads. A failure
 * is recorded on the document and the crawl goes on, unless nothing else can work either.
 */
export class JobTaker {
  constructor(private readonly options: JobTakerOptions) {}

  async take(job: Job): Promise<void> {
    const { docs, reader, writer, tally, signal, log } = this.options;
    const { target, row } = job;
    const source = SOURCES.get(target.type);
    try {
      if (target.type === 'file') {
        // A drive file named as a root: the file is the media.
        writer.file(job);
        tally.count(target.type, 'changed');
        return;
      }
      if (!source) {
        const reason =
          UNSUPPORTED_REASONS[target.type] ?? `No source reads documents of type ${target.type}.`;
        docs.markFailed(row.id, { status: 'skipped', kind: 'unsupported', message: reason });
        tally.count(target.type, 'skipped');
        log?.({
          level: 'info',
          event: 'crawl.document.skipped',
          message: reason,
          type: target.type,
          token: target.token,
        });
        return;
      }
      await reader.read(job, source);
    } catch (e) {
      if (signal?.aborted) return;
      this.#failed(job, e);
    }
  }

  #failed(job: Job, e: unknown): void {
    const { db, docs, roots, scheduler, tally, log } = this.options;
    const { target, row } = job;
    if (e instanceof LoginError) {
      // The user's login ended mid-run: nothing else can be read either.
      scheduler.halt(e);
      return;
    }
    // A full disk or an unwritable output directory (snapshots) fails every document alike: stop
    // the run with that message instead of recording each document as failed.
    const local = asLocalFatal(e, (e as { path?: string }).path ?? 'the output directory');
    if (local) {
      scheduler.halt(local);
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
      scheduler.halt(err);
      return;
    }
    docs.markFailed(row.id, { kind: err.kind, message: err.message, fix: err.fix });
    tally.count(target.type, 'failed');
    tally.failure({
      // A root that cannot be read at all is its own exit reason (ExitCode.rootUnreadable).
      ...(roots.has(target) ? { root: true } : {}),
      type: target.type,
      token: target.token,
      title: target.title ?? row.title ?? undefined,
      kind: err.kind,
      message: err.message,
      fix: err.fix,
    });
    // Named as people know it (title, URL, the root it was found under), as every failure is.
    const [named] = documentsFailedFor(db, new DocumentDirectory(db), err.kind, 1, row.id).documents;
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
