import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { partPaths } from '../../src/download/part-file.js';
import { exportRows } from '../../src/inventory/export.js';
import { readStatus } from '../../src/inventory/status.js';
import { verifyFiles } from '../../src/inventory/verify.js';
import { type Harness, harness } from '../crawl/harness.js';
import {
  addDocx,
  addFolder,
  addMedia,
  block,
  emptyTenant,
  type FakeFeishu,
  mediaSha256,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { mediaRow } from './helpers.js';

let fake: FakeFeishu | undefined;

/**
 * A folder with two documents: Plans shows `onlyA` and `shared`, Notes shows `shared` and `onlyB`.
 * `deletePlans()` deletes Plans as Feishu does (gone from its folder, its own files refused with it);
 * the function it returns restores both.
 */
async function twoDocuments(): Promise<{
  h: Harness;
  onlyA: string;
  shared: string;
  onlyB: string;
  deletePlans: () => () => void;
}> {
  const tenant = emptyTenant({ seed: 11 });
  const folder = addFolder(tenant, { name: 'Team' });
  const onlyA = addMedia(tenant, { name: 'plan.png', size: 6000 });
  const shared = addMedia(tenant, { name: 'logo.png', size: 3000 });
  const onlyB = addMedia(tenant, { name: 'notes.png', size: 2000 });
  const plans = addDocx(tenant, {
    title: 'Plans',
    folder: folder.token,
    content: [block.image(onlyA.token), block.image(shared.token)],
  });
  addDocx(tenant, {
    title: 'Notes',
    folder: folder.token,
    content: [block.image(shared.token), block.image(onlyB.token)],
  });
  fake = await startFakeFeishu({ tenant });
  const h = harness(fake, [{ type: 'folder', token: folder.token }]);
  const deletePlans = (): (() => void) => {
    const entry = tenant.drive.get(plans.documentId)!;
    tenant.drive.delete(plans.documentId);
    plans.access = 'deleted';
    onlyA.state = 'deleted';
    return () => {
      tenant.drive.set(plans.documentId, entry);
      plans.access = 'ok';
      onlyA.state = 'ok';
    };
  };
  return { h, onlyA: onlyA.token, shared: shared.token, onlyB: onlyB.token, deletePlans };
}

/** File tokens of the media downloads the fake served, in order (repeats kept). */
function requested(): string[] {
  return fake!.requestsTo('media.download').map((r) => r.path.split('/')[5]!);
}

function sha256Of(h: Harness, token: string): string | undefined {
  const row = mediaRow(h.db, token);
  if (!row.path) return undefined;
  const file = path.join(h.config.outputDir, row.path);
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : undefined;
}

function partSize(h: Harness, token: string): number | undefined {
  const part = partPaths(h.config.outputDir, token).part;
  return existsSync(part) ? readFileSync(part).length : undefined;
}

describe('files whose documents are gone from Feishu', () => {
  it('are not requested when their document was deleted before they were downloaded; the run is complete with nothing left and counts them as gone', async () => {
    const t = await twoDocuments();
    await t.h.run();
    t.deletePlans();
    await t.h.run();

    const summary = await t.h.download();
    expect(new Set(requested())).toEqual(new Set([t.shared, t.onlyB]));
    expect(summary.stopReason).toBe('complete');
    expect(summary.failures).toEqual([]);
    expect(summary.downloaded).toBe(2);
    expect(summary.left).toMatchObject({ files: 0, failedSkipped: 0, skippedGone: 1 });
    // Left as the crawl found it: never tried, no error recorded against it.
    expect(mediaRow(t.h.db, t.onlyA)).toMatchObject({ status: 'pending', attempts: 0, error_kind: null });
    // The file shared with the live document is backed up, bytes and all.
    expect(mediaRow(t.h.db, t.shared).status).toBe('done');
    expect(sha256Of(t.h, t.shared)).toBe(mediaSha256(11, t.shared, 3000));

    const status = readStatus(t.h.db, { day: '2026-01-01' });
    // Image blocks carry no size: the crawl does not know it.
    expect(status.media.goneFromFeishu).toEqual({ count: 1, bytes: 0 });
    expect(status.failures).toEqual([]);
  });

  it('plans them apart in a dry run, which makes no request', async () => {
    const t = await twoDocuments();
    await t.h.run();
    t.deletePlans();
    await t.h.run();
    const plan = await t.h.download({ dryRun: true });
    expect(requested()).toEqual([]);
    expect(plan.left).toMatchObject({
      files: 2,
      unknownSize: 2,
      byStatus: { pending: 2, partial: 0, error: 0, failed: 0 },
      skippedGone: 1,
    });
  });

  it('keeps a file downloaded before its document went, on disk and done', async () => {
    const t = await twoDocuments();
    await t.h.run();
    await t.h.download();
    const before = { row: mediaRow(t.h.db, t.onlyA), sha256: sha256Of(t.h, t.onlyA) };
    expect(before.row.status).toBe('done');
    expect(before.sha256).toBe(mediaSha256(11, t.onlyA, 6000));

    t.deletePlans();
    await t.h.run();
    const requestsBefore = requested().length;
    const again = await t.h.download();
    expect(requested()).toHaveLength(requestsBefore);
    expect(again.left).toMatchObject({ files: 0, skippedGone: 0 });
    expect(mediaRow(t.h.db, t.onlyA)).toEqual(before.row);
    expect(sha256Of(t.h, t.onlyA)).toBe(before.sha256);
    // The audit export says which copies are of files deleted in Feishu.
    const exported = new Map([...exportRows(t.h.db)].map((r) => [r.fileToken, r]));
    expect(exported.get(t.onlyA)).toMatchObject({ status: 'done', goneFromFeishu: true, sources: [] });
    expect(exported.get(t.shared)?.goneFromFeishu).toBe(false);
  });

  it('queues the file again once a crawl finds its document restored', async () => {
    const t = await twoDocuments();
    await t.h.run();
    const restore = t.deletePlans();
    await t.h.run();
    await t.h.download();
    expect(requested()).not.toContain(t.onlyA);

    restore();
    await t.h.run();
    const summary = await t.h.download();
    expect(requested().filter((token) => token === t.onlyA)).toHaveLength(1);
    expect(summary.left).toMatchObject({ files: 0, skippedGone: 0 });
    expect(mediaRow(t.h.db, t.onlyA).status).toBe('done');
    expect(sha256Of(t.h, t.onlyA)).toBe(mediaSha256(11, t.onlyA, 6000));
  });

  it('no longer counts a file that failed before its document went as failed, even with retryFailed', async () => {
    const t = await twoDocuments();
    await t.h.run();
    fake!.inject({
      route: 'media.download',
      fault: { kind: 'error', status: 403, code: 1061004, msg: 'forbidden' },
      match: (req) => req.params.file_token === t.onlyA,
    });
    const first = await t.h.download();
    expect(mediaRow(t.h.db, t.onlyA).status).toBe('failed');
    expect(first.left).toMatchObject({ failedSkipped: 1, skippedGone: 0 });

    t.deletePlans();
    await t.h.run();
    const requestsBefore = requested().length;
    const retried = await t.h.download({ retryFailed: true });
    expect(requested()).toHaveLength(requestsBefore);
    expect(retried.left).toMatchObject({ files: 0, failedSkipped: 0, skippedGone: 1 });
    expect(readStatus(t.h.db, { day: '2026-01-01' }).failures).toEqual([]);
  });

  it('leaves the .part of a half-downloaded file, and a restored document resumes from it', async () => {
    const t = await twoDocuments();
    await t.h.run();
    fake!.inject({
      route: 'media.download',
      fault: { kind: 'reset', afterBytes: 1000 },
      match: (req) => req.params.file_token === t.onlyA,
    });
    await t.h.download({ maxRetries: 0 });
    const half = mediaRow(t.h.db, t.onlyA);
    expect(half.bytes_on_disk).toBe(1000);
    expect(partSize(t.h, t.onlyA)).toBe(1000);

    const restore = t.deletePlans();
    await t.h.run();
    const gone = await t.h.download();
    expect(requested().filter((token) => token === t.onlyA)).toHaveLength(1);
    expect(gone.left).toMatchObject({ files: 0, skippedGone: 1 });
    expect(mediaRow(t.h.db, t.onlyA)).toEqual(half);
    expect(partSize(t.h, t.onlyA)).toBe(1000);

    restore();
    await t.h.run();
    await t.h.download();
    const resumed = fake!.requestsTo('media.download').filter((r) => r.path.includes(t.onlyA));
    expect(resumed.map((r) => r.headers.range)).toEqual([undefined, 'bytes=1000-']);
    expect(sha256Of(t.h, t.onlyA)).toBe(mediaSha256(11, t.onlyA, 6000));
  });

  it('are named by verify --repair among the files it queues again', async () => {
    const t = await twoDocuments();
    await t.h.run();
    await t.h.download();
    t.deletePlans();
    await t.h.run();
    rmSync(path.join(t.h.config.outputDir, mediaRow(t.h.db, t.onlyA).path!));
    rmSync(path.join(t.h.config.outputDir, mediaRow(t.h.db, t.onlyB).path!));

    const verified = await verifyFiles({ db: t.h.db, outputDir: t.h.config.outputDir, repair: true });
    expect(verified).toMatchObject({ missing: 2, requeued: 2, requeuedGone: 1 });
    const next = await t.h.download();
    expect(requested().filter((token) => token === t.onlyA)).toHaveLength(1);
    expect(requested().filter((token) => token === t.onlyB)).toHaveLength(2);
    expect(next.left).toMatchObject({ files: 0, skippedGone: 1 });
  });
});
