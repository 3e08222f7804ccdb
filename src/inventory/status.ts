import { DocumentDirectory } from './document-directory.js';
import { splitKinds } from './document-names.js';
import { newerThanCopy } from './drive-versions.js';
import { documentsFailedFor, documentsFailingFor, type FailingDocument } from './failing-documents.js';
import { type FetchPathUsage, readFetchPaths } from './fetch-paths.js';
import { readSizeDifferences, type SizeDifferences } from './listed-size.js';
import { GONE_FROM_FEISHU } from './media-queue.js';
import type { Db } from './open.js';
import { readSkipKeyChecks, type SkipKeyMiss } from './skip-keys.js';
import { snapshotTotals } from './snapshots.js';
import { readUnbackable, type UnbackableReport } from './unbackable.js';

export interface CountBytes {
  count: number;
  /** Sum of the sizes the sources announced (bytes), where known. */
  bytes: number;
}

export interface RunRow {
  id: number;
  command: string;
  startedAt: string;
  endedAt: string | null;
  status: string;
  exitCode: number | null;
  /** API calls the run made (migration 0018); null when it made none of that kind, or ran before. */
  apiCalls?: { crawl: number | null; download: number | null };
}

export interface FailureReason {
  /** What failed: media or document. */
  subject: 'media' | 'document';
  kind: string;
  code: string | null;
  count: number;
  /** One example message, so the reader sees what the reason looks like. */
  example: string | null;
  fix: string | null;
  /**
   * The documents it is about, most files first (at most DOCUMENTS_PER_REASON): a media failure's
   * documents hold the files; a document failure's are the documents themselves.
   */
  documents?: FailingDocument[];
  /** How many documents in all, of which `documents` names the first. */
  documentCount?: number;
}

export interface StatusReport {
  documents: {
    /** Every row of the inventory's documents table: documents, folders, wiki pages, base tables... */
    total: number;
    /** Documents alone (docx, sheets, bases and the kinds the API cannot read): see DOCUMENT_KINDS. */
    count?: number;
    byType: Record<string, number>;
    byStatus: Record<string, number>;
  };
  media: {
    total: CountBytes;
    byStatus: Record<string, CountBytes>;
    /** Files not downloaded that a download leaves out: their documents are gone from Feishu. */
    goneFromFeishu: CountBytes;
    /**
     * Drive files backed up before that Feishu lists with a later version: queued for the next
     * download (counted among pending/error/partial too). Absent before migration 0011.
     */
    newVersions?: number;
  };
  /** Bytes of files recorded as downloaded. */
  bytesOnDisk: number;
  /** Document snapshots kept (migration 0005): how many, and their compressed bytes on disk. */
  snapshots: { count: number; bytes: number };
  quota: { day: string; used: number; limit: number | undefined; left: number | undefined };
  /** Today's calls per download endpoint (media, drive files, whiteboards), each its own counter. */
  quotas: { bucket: string; used: number; limit: number | undefined; left: number | undefined }[];
  runs: RunRow[];
  /** Media gone from Feishu are not among them: no run tries them again while they are gone. */
  failures: FailureReason[];
  /**
   * Documents whose content changed while their skip key did not, found by full reads (migration
   * 0012): `total`, the newest with their document, and when a full read last checked documents.
   */
  skipKeyMisses?: { total: number; misses: SkipKeyMiss[]; lastFullRead: string | null };
  /**
   * Bitable tables whose downloads were seen to need their own `extra` (a first one was refused), by
   * the form that worked (migrations 0010, 0013): which form a real tenant takes is not documented.
   */
  advancedTables?: { server: number; attachments: number };
  /** Media-shaped objects nothing can download (migration 0014); non-zero: exit 3. */
  unbackable?: UnbackableReport;
  /** Files kept with the server's bytes although their listing named another size. */
  sizeDiffers?: SizeDifferences;
  /** Today's media per fetch path, direct and temporary URLs (migration 0020; fetch-paths.ts). */
  fetchPaths?: FetchPathUsage[];
}

export interface StatusOptions {
  /** Today's quota day (YYYY-MM-DD) in the configured time zone. */
  day: string;
  /** The daily download limit, if configured. */
  dailyLimit?: number;
  /** With `timeZone`: the report includes today's media per fetch path (`fetchPaths`). */
  now?: number;
  timeZone?: string;
  /** The quota bucket downloads count against. @default 'media.download' */
  quotaBucket?: string;
  /** @default 5 */
  recentRuns?: number;
  /** @default 5 */
  topFailures?: number;
}

/** Everything `status` shows, read in one pass over the inventory (read-only). */
export function readStatus(db: Db, options: StatusOptions): StatusReport {
  const byType: Record<string, number> = {};
  const docByStatus: Record<string, number> = {};
  let docTotal = 0;
  for (const r of db
    .prepare('SELECT type, status, COUNT(*) AS n FROM documents GROUP BY type, status')
    .all() as {
    type: string;
    status: string;
    n: number;
  }[]) {
    byType[r.type] = (byType[r.type] ?? 0) + r.n;
    docByStatus[r.status] = (docByStatus[r.status] ?? 0) + r.n;
    docTotal += r.n;
  }

  const mediaByStatus: Record<string, CountBytes> = {};
  const total: CountBytes = { count: 0, bytes: 0 };
  for (const r of db
    .prepare('SELECT status, COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM media GROUP BY status')
    .all() as { status: string; n: number; bytes: number }[]) {
    mediaByStatus[r.status] = { count: r.n, bytes: r.bytes };
    total.count += r.n;
    total.bytes += r.bytes;
  }
  const goneFromFeishu = db
    .prepare(
      `SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes FROM media
        WHERE status <> 'done' AND ${GONE_FROM_FEISHU}`,
    )
    .get() as CountBytes;
  const newVersions = db
    .prepare(
      `SELECT COUNT(*) FROM media WHERE status <> 'done' AND source = 'drive_file'
        AND ${newerThanCopy('remote_version')} AND NOT ${GONE_FROM_FEISHU}`,
    )
    .pluck()
    .get() as number;
  const bytesOnDisk = (
    db.prepare("SELECT COALESCE(SUM(bytes_on_disk), 0) AS b FROM media WHERE status = 'done'").get() as {
      b: number;
    }
  ).b;

  const usedOf = (bucket: string): number =>
    (
      db.prepare('SELECT used FROM quota_usage WHERE bucket = ? AND day = ?').get(bucket, options.day) as
        | { used: number }
        | undefined
    )?.used ?? 0;
  const used = usedOf(options.quotaBucket ?? 'media.download');
  const limit = options.dailyLimit;
  // Drive files have their own 10,000 a day (same configured limit); whiteboards have no daily cap.
  const quotas = (['media.download', 'drive.download', 'board.image'] as const).map((bucket) => {
    const u = usedOf(bucket);
    const cap = bucket === 'board.image' ? undefined : limit;
    return { bucket, used: u, limit: cap, left: cap === undefined ? undefined : Math.max(0, cap - u) };
  });

  const runs = (
    db
      .prepare(
        `SELECT id, command, started_at, ended_at, status, exit_code, api_calls_crawl, api_calls_download
           FROM runs ORDER BY id DESC LIMIT ?`,
      )
      .all(options.recentRuns ?? 5) as {
      id: number;
      command: string;
      started_at: string;
      ended_at: string | null;
      status: string;
      exit_code: number | null;
      api_calls_crawl: number | null;
      api_calls_download: number | null;
    }[]
  ).map((r) => ({
    id: r.id,
    command: r.command,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    status: r.status,
    exitCode: r.exit_code,
    apiCalls: { crawl: r.api_calls_crawl, download: r.api_calls_download },
  }));

  const top = options.topFailures ?? 5;
  const directory = new DocumentDirectory(db);
  const failures = [
    ...(
      db
        .prepare(
          `SELECT error_kind AS kind, error_code AS code, COUNT(*) AS count,
                  MAX(error_message) AS example, MAX(error_fix) AS fix
           FROM media WHERE status IN ('failed', 'error') AND NOT ${GONE_FROM_FEISHU}
          GROUP BY error_kind, error_code`,
        )
        .all() as Omit<FailureReason, 'subject'>[]
    ).map((r) => ({ ...r, subject: 'media' as const, kind: r.kind ?? 'unknown' })),
    ...(
      db
        .prepare(
          `SELECT error_kind AS kind, NULL AS code, COUNT(*) AS count,
                  MAX(error_message) AS example, MAX(error_fix) AS fix
           FROM documents WHERE status = 'error'
           -- One line per fix: an advanced base's hidden table and an unshared document are both
           -- 'permission', with different fixes.
           GROUP BY error_kind, error_fix`,
        )
        .all() as Omit<FailureReason, 'subject'>[]
    ).map((r) => ({ ...r, subject: 'document' as const, kind: r.kind ?? 'unknown' })),
  ]
    .sort((a, b) => b.count - a.count)
    .slice(0, top)
    .map((f) => {
      const named =
        f.subject === 'media'
          ? documentsFailingFor(db, directory, { kind: f.kind, code: f.code })
          : documentsFailedFor(db, directory, f.kind);
      return { ...f, documents: named.documents, documentCount: named.total };
    });

  const advancedTables = { server: 0, attachments: 0 };
  for (const r of db
    .prepare("SELECT coalesce(form, 'server') AS form, COUNT(*) AS n FROM advanced_tables GROUP BY 1")
    .all() as { form: string; n: number }[]) {
    if (r.form === 'attachments') advancedTables.attachments += r.n;
    else advancedTables.server += r.n;
  }

  return {
    documents: { total: docTotal, count: splitKinds(byType).documents, byType, byStatus: docByStatus },
    media: { total, byStatus: mediaByStatus, goneFromFeishu, newVersions },
    bytesOnDisk,
    snapshots: snapshotTotals(db),
    quota: {
      day: options.day,
      used,
      limit,
      left: limit === undefined ? undefined : Math.max(0, limit - used),
    },
    quotas,
    runs,
    failures,
    skipKeyMisses: readSkipKeyChecks(db),
    advancedTables,
    unbackable: readUnbackable(db),
    sizeDiffers: readSizeDifferences(db),
    ...(options.now !== undefined && options.timeZone
      ? { fetchPaths: readFetchPaths(db, options.day, options.now, options.timeZone) }
      : {}),
  };
}
