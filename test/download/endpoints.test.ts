import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadAll } from '../../src/download/download-all.js';
import { partPaths } from '../../src/download/part-file.js';
import { PartWriter } from '../../src/download/part-writer.js';
import type { DownloadOptions, DownloadSummary } from '../../src/download/types.js';
import { startRun } from '../../src/inventory/runs.js';
import { mediaShard } from '../../src/naming/media-path.js';
import { type Harness, harness, rootFolder } from '../crawl/harness.js';
import {
  addBoard,
  addDocx,
  addDriveFile,
  addMedia,
  block,
  type ExpectedMedia,
  emptyTenant,
  type FakeFeishu,
  mediaBytes,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { mediaRow } from './helpers.js';

let fake: FakeFeishu | undefined;
let h: Harness | undefined;
afterEach(() => {
  if (h) rmSync(h.config.outputDir, { recursive: true, force: true });
  h = undefined;
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * A tenant with one drive file, one docx holding an image and a whiteboard, crawled for real so the
 * inventory's `media.source` comes from the crawl, as in a backup.
 */
async function crawledTenant(
  options: { driveFiles?: number; images?: number; driveSize?: number; boardWidth?: number } = {},
): Promise<{ files: string[]; images: string[]; board: string; docId: string }> {
  const tenant = emptyTenant({ seed: 11 });
  const files = Array.from(
    { length: options.driveFiles ?? 1 },
    (_, i) =>
      addDriveFile(tenant, {
        name: i === 0 ? '合同 扫描件.pdf' : `scan-${i}.pdf`,
        size: options.driveSize ?? 300_000,
        mimeType: 'application/pdf',
      }).token,
  );
  const images = Array.from(
    { length: options.images ?? 1 },
    (_, i) => addMedia(tenant, { name: `photo-${i}.png`, size: 20_000 + i }).token,
  );
  const board = addBoard(tenant, { width: options.boardWidth ?? 64, height: 48 });
  const doc = addDocx(tenant, {
    title: 'Design review',
    content: [...images.map((t) => block.image(t)), block.board(board)],
  });
  fake = await startFakeFeishu({ tenant });
  h = harness(fake, [rootFolder(fake)]);
  await h.run();
  return { files, images, board, docId: doc.documentId };
}

function download(options: Partial<DownloadOptions> = {}): Promise<DownloadSummary> {
  const { db, client, config } = h!;
  return downloadAll({
    client,
    db,
    outputDir: config.outputDir,
    runId: startRun(db, 'download'),
    limits: { qps: 50, perDay: 10_000, concurrency: 3, dayBoundaryTimeZone: 'Asia/Shanghai', boardQps: 50 },
    random: () => 0,
    ...options,
    ...(options.limits ? { limits: options.limits } : {}),
  });
}

function fileOf(token: string): Buffer | undefined {
  const path = mediaRow(h!.db, token).path;
  return path && existsSync(join(h!.config.outputDir, path))
    ? readFileSync(join(h!.config.outputDir, path))
    : undefined;
}

/** What a kill -9 after the last byte leaves: the whole `.part` and its sidecar, never fsynced or renamed. */
async function leaveCompletePart(token: string, bytes: Buffer): Promise<void> {
  // As a run would have left it: a drive file's .part records the version it belongs to.
  const { remote_version: version } = h!.db
    .prepare('SELECT remote_version FROM media WHERE file_token = ?')
    .get(token) as { remote_version: string | null };
  const writer = await PartWriter.open(
    partPaths(h!.config.outputDir, token),
    0,
    bytes.length,
    version === null ? {} : { version },
  );
  await writer.pump(
    (async function* () {
      yield bytes;
    })(),
  );
  await writer.abandon();
}

function expected(token: string): ExpectedMedia {
  const e = fake!.expectedMedia().get(token);
  if (!e) throw new Error(`the fake does not expect ${token}`);
  return e;
}

/** Every file under `by-document/`, as `<type>/<folder>/<name>`. */
function byDocument(): string[] {
  const root = join(h!.config.outputDir, 'by-document');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1));
}

function quotaUsed(bucket: string): number {
  const row = h!.db.prepare('SELECT SUM(used) AS n FROM quota_usage WHERE bucket = ?').get(bucket) as {
    n: number | null;
  };
  return row.n ?? 0;
}

describe('drive files and whiteboards', () => {
  it('downloads drive files and whiteboard images through their own endpoints, verified like media', async () => {
    const t = await crawledTenant();
    const summary = await download();
    expect(summary).toMatchObject({ stopReason: 'complete', downloaded: 3, failures: [] });

    // Every file the tenant holds is on disk, byte for byte: media, drive file and board image.
    const all = [...fake!.expectedMedia().values()];
    expect(all.map((e) => e.kind).sort()).toEqual(['board', 'file', 'media']);
    for (const e of all) {
      expect(mediaRow(h!.db, e.token)).toMatchObject({
        status: 'done',
        sha256: e.sha256,
        bytes_on_disk: e.size,
      });
      expect(sha(fileOf(e.token)!)).toBe(e.sha256);
    }
    // Each through its own endpoint, once.
    expect(fake!.requestsTo('drive.download').map((r) => r.path)).toEqual([
      `/open-apis/drive/v1/files/${t.files[0]}/download`,
    ]);
    expect(fake!.requestsTo('board.image')).toHaveLength(1);
    expect(fake!.requestsTo('media.download').map((r) => r.path)).toEqual([
      `/open-apis/drive/v1/medias/${t.images[0]}/download`,
    ]);
    // Names: the drive file's own; the board, which has none, after its document.
    expect(mediaRow(h!.db, t.files[0]!).path).toMatch(/\/合同 扫描件\.pdf$/);
    expect(mediaRow(h!.db, t.board).path).toBe(
      `media/${mediaShard(t.board)}/${t.board}/Design review - whiteboard.png`,
    );
    // Browsable: the drive file in its folder's entry, the board image in its document's.
    const entries = byDocument();
    expect(entries).toContain(`docx/Design review (${t.docId})/Design review - whiteboard.png`);
    expect(entries.some((p) => p.startsWith('folder/') && p.endsWith('/合同 扫描件.pdf'))).toBe(true);
    // One daily counter per endpoint.
    expect([quotaUsed('media.download'), quotaUsed('drive.download'), quotaUsed('board.image')]).toEqual([
      1, 1, 1,
    ]);
    expect(summary.quotas.map((q) => [q.bucket, q.used])).toEqual([
      ['media.download', 1],
      ['drive.download', 1],
    ]);

    const again = await download();
    expect(again).toMatchObject({ stopReason: 'complete', downloaded: 0, requests: 0 });
  });

  it('resumes a drive file reset mid-body with Range, fetching only the missing bytes', async () => {
    const t = await crawledTenant({ driveSize: 1_000_000 });
    fake!.faults.inject({ route: 'drive.download', fault: { kind: 'reset', afterBytes: 400_000 } });
    const summary = await download();
    expect(summary).toMatchObject({ stopReason: 'complete', downloaded: 3 });
    const reqs = fake!.requestsTo('drive.download');
    expect(reqs).toHaveLength(2);
    const have = Number(/^bytes=(\d+)-$/.exec(String(reqs[1]!.headers.range))![1]);
    expect(have).toBeGreaterThan(0);
    expect(have).toBeLessThanOrEqual(400_000);
    expect(reqs[1]!.status).toBe(206);
    expect(reqs[1]!.bytesSent).toBe(1_000_000 - have);
    expect(sha(fileOf(t.files[0]!)!)).toBe(expected(t.files[0]!).sha256);
    expect(mediaRow(h!.db, t.files[0]!).sha256).toBe(expected(t.files[0]!).sha256);
  });

  it('fetches a whiteboard image whole again after a reset (no Range documented), and verifies it', async () => {
    const t = await crawledTenant({ boardWidth: 600 });
    const size = expected(t.board).size;
    expect(size).toBeGreaterThan(400);
    fake!.faults.inject({ route: 'board.image', fault: { kind: 'reset', afterBytes: 200 } });
    const summary = await download();
    expect(summary).toMatchObject({ stopReason: 'complete', downloaded: 3 });
    const reqs = fake!.requestsTo('board.image');
    expect(reqs).toHaveLength(2);
    expect(reqs.map((r) => r.headers.range)).toEqual([undefined, undefined]);
    expect(reqs[1]).toMatchObject({ status: 200, bytesSent: size });
    expect(sha(fileOf(t.board)!)).toBe(expected(t.board).sha256);
    expect(existsSync(join(h!.config.outputDir, '.partial', `${t.board}.part`))).toBe(false);
  });

  it('finishes a complete drive-file .part of unknown size from disk after one 416, as media', async () => {
    const t = await crawledTenant();
    const file = t.files[0]!;
    const { size } = expected(file);
    // The drive listing gives no size: the inventory does not know it.
    expect(mediaRow(h!.db, file)).toMatchObject({ status: 'pending', size: null });
    await leaveCompletePart(file, mediaBytes(fake!.tenant.seed, file, 0, size));

    const summary = await download();
    expect(summary).toMatchObject({ stopReason: 'complete', downloaded: 3 });
    expect(fake!.requestsTo('drive.download')).toMatchObject([
      { status: 416, headers: { range: `bytes=${size}-` } },
    ]);
    expect(mediaRow(h!.db, file)).toMatchObject({ status: 'done', sha256: expected(file).sha256 });
    expect(mediaRow(h!.db, file).path).toMatch(/\/合同 扫描件\.pdf$/);
    expect(sha(fileOf(file)!)).toBe(expected(file).sha256);
  });

  it('fetches a whiteboard image whole again even when its .part is complete (no Range, so no 416 to confirm it)', async () => {
    const t = await crawledTenant();
    const { size } = expected(t.board);
    expect(mediaRow(h!.db, t.board)).toMatchObject({ size: null });
    // As many bytes as the image, but not its bytes: only a fresh fetch publishes the right ones.
    await leaveCompletePart(t.board, Buffer.alloc(size, 1));

    expect(await download()).toMatchObject({ stopReason: 'complete', downloaded: 3 });
    const reqs = fake!.requestsTo('board.image');
    expect(reqs).toMatchObject([{ status: 200, bytesSent: size }]);
    expect(reqs[0]!.headers.range).toBeUndefined();
    expect(sha(fileOf(t.board)!)).toBe(expected(t.board).sha256);
  });

  it('counts drive downloads apart from media: a spent drive counter does not stop media downloads', async () => {
    const t = await crawledTenant({ driveFiles: 3, images: 3 });
    const summary = await download({
      limits: {
        qps: 50,
        perDay: 10_000,
        drivePerDay: 1,
        concurrency: 2,
        dayBoundaryTimeZone: 'Asia/Shanghai',
        boardQps: 50,
      },
    });
    expect(summary.stopReason).toBe('quota');
    expect(summary.quotaSpent).toEqual(['drive.download']);
    for (const token of [...t.images, t.board]) expect(mediaRow(h!.db, token).status).toBe('done');
    expect(t.files.map((f) => mediaRow(h!.db, f).status).sort()).toEqual(['done', 'pending', 'pending']);
    expect(fake!.requestsTo('drive.download')).toHaveLength(1);
    expect(fake!.requestsTo('media.download')).toHaveLength(3);
    expect(summary.left.files).toBe(2);
  });

  it("counts media apart from drive files: Feishu's 1061045 on media does not stop drive downloads", async () => {
    const t = await crawledTenant({ driveFiles: 3, images: 3 });
    fake!.setDailyCap('media.download', 1);
    // No patience for a lasting 1061045 (10 minutes by default, see daily-cap.test.ts).
    const limits = {
      qps: 50,
      perDay: 10_000,
      concurrency: 3,
      dayBoundaryTimeZone: 'Asia/Shanghai',
      boardQps: 50,
    };
    const summary = await download({ limits: { ...limits, dailyCapBackoffMs: 0 } });
    expect(summary.stopReason).toBe('quota');
    expect(summary.quotaSpent).toEqual(['media.download']);
    for (const token of [...t.files, t.board]) expect(mediaRow(h!.db, token).status).toBe('done');
    expect(t.images.map((m) => mediaRow(h!.db, m).status).sort()).toEqual(['done', 'pending', 'pending']);
    // The refused call is not repeated for the other images: the media lane stops at the first 1061045.
    expect(fake!.requestsTo('media.download')).toHaveLength(2);
    expect(fake!.requestsTo('drive.download')).toHaveLength(3);
  });

  it('goes on with media and drive files when the app lacks the whiteboard scope, and says which scope', async () => {
    const t = await crawledTenant({ images: 2 });
    fake!.faults.inject({
      route: 'board.image',
      fault: { kind: 'error', status: 400, code: 99991672, msg: 'Access denied: app lacks scope' },
    });
    const summary = await download();
    expect(summary.stopReason).toBe('complete');
    expect(summary.downloaded).toBe(3);
    expect(summary.failures).toMatchObject([{ kind: 'credentials', status: 'error', count: 1 }]);
    expect(summary.failures[0]!.fix).toMatch(/board:whiteboard:node:read/);
    expect(mediaRow(h!.db, t.board)).toMatchObject({ status: 'error', error_kind: 'credentials' });
    expect(fake!.requestsTo('board.image')).toHaveLength(1);
    // Once the scope is granted, the next run exports it.
    expect(await download()).toMatchObject({ downloaded: 1, failures: [] });
    expect(sha(fileOf(t.board)!)).toBe(expected(t.board).sha256);
  });

  it('leaves whiteboards and drive files pending when the options turn them off, as skipped by option', async () => {
    const t = await crawledTenant();
    const off = await download({ skipSources: ['board', 'drive_file'] });
    expect(off).toMatchObject({ stopReason: 'complete', downloaded: 1, failures: [] });
    expect(off.left).toMatchObject({ files: 0, skippedByOption: 2 });
    expect(fake!.requestsTo('drive.download')).toHaveLength(0);
    expect(fake!.requestsTo('board.image')).toHaveLength(0);
    expect(mediaRow(h!.db, t.files[0]!).status).toBe('pending');
    expect(mediaRow(h!.db, t.board).status).toBe('pending');

    // Turned back on, the next run fetches them.
    const on = await download();
    expect(on).toMatchObject({ stopReason: 'complete', downloaded: 2 });
    expect(on.left.skippedByOption).toBe(0);
    expect(mediaRow(h!.db, t.files[0]!).status).toBe('done');
    expect(mediaRow(h!.db, t.board).status).toBe('done');
  });
});
