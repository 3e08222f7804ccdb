import type { SnapshotWriter } from '../archive/snapshots/writer.js';
import type { DocumentRepo, DocumentRow } from '../inventory/documents.js';
import type { Source, SourceContext, Target } from '../sources/types.js';
import { heldPass } from './crawled-revision.js';
import type { Check, FullRead } from './full-read.js';

/** Whether to read a document, and what the check learnt for the read. */
export type Verdict =
  | { read: false }
  | {
      read: true;
      /** The revision being read; undefined for containers, which are listed every time. */
      revision: string | undefined;
      /** What the revision probe hands to `Source.read`, so it need not ask again. */
      memo: unknown;
      /** Set when a full read takes a document its skip key calls unchanged, to check the key. */
      check: Check | undefined;
    };

export interface RevisionCheckOptions {
  ctx: SourceContext;
  docs: DocumentRepo;
  runId: number;
  snapshots: SnapshotWriter | undefined;
  fullRead: FullRead;
}

/**
 * Decides skip or read: containers (no revision) are listed every time; documents are read only when
 * their revision moved, their snapshot is missing, or a full read checks their skip key.
 */
export class RevisionCheck {
  constructor(private readonly options: RevisionCheckOptions) {}

  /** `row` is the document as the inventory holds it now. */
  async judge(source: Source, target: Target, row: DocumentRow): Promise<Verdict> {
    const { ctx, docs, runId, snapshots, fullRead } = this.options;
    if (!source.revision) return { read: true, revision: undefined, memo: undefined, check: undefined };
    let revision: string | undefined;
    let memo: unknown;
    if (target.listedRevision) revision = target.listedRevision;
    else {
      const probe = await source.revision(ctx, target);
      revision = probe.revision;
      memo = probe.memo;
      if (probe.title && !target.title)
        docs.see({ type: target.type, token: target.token, title: probe.title }, runId);
    }
    const held =
      revision !== undefined && row.status === 'done'
        ? heldPass(row.crawled_revision, revision, target.scope)
        : undefined;
    if (held === undefined || snapshots?.missing(row, held))
      return { read: true, revision, memo, check: undefined };
    const reason = fullRead.reason(row.id, Date.now());
    if (!reason) return { read: false };
    return { read: true, revision, memo, check: fullRead.begin(row.id, held, reason) };
  }
}
