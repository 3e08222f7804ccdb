import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DownloadSummary } from '../../src/download/types.js';
import { readStatus } from '../../src/inventory/status.js';
import { documentFolderName } from '../../src/naming/media-path.js';
import { type Harness, harness } from '../crawl/harness.js';
import {
  addDocx,
  addDriveFile,
  addFolder,
  addMedia,
  addWikiNode,
  addWikiSpace,
  block,
  emptyTenant,
  type FakeFeishu,
  type Media,
  mediaBytes,
  mediaContentKey,
  startFakeFeishu,
  type Tenant,
  uploadNewVersion,
} from '../fake-feishu/index.js';

let fake: FakeFeishu | undefined;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** `2025-03-04T05-06-07Z`: how the versions/ folder names a version's time (see LAYOUT.md). */
const stamp = (seconds: number): string =>
  new Date(seconds * 1000).toISOString().replace('.000Z', 'Z').replace(/:/g, '-');

interface MediaRowView {
  status: string;
  path: string | null;
  sha256: string | null;
  attempts: number;
  remote_version: string | null;
  downloaded_version: string | null;
  downloaded_at: string | null;
}

function row(h: Harness, token: string): MediaRowView {
  return h.db
    .prepare(
      `SELECT status, path, sha256, attempts, remote_version, downloaded_version, downloaded_at
       FROM media WHERE file_token = ?`,
    )
    .get(token) as MediaRowView;
}

/** A nightly backup: crawl, then download. */
async function backup(h: Harness): Promise<{ newVersions: number; summary: DownloadSummary }> {
  const crawled = await h.run();
  return { newVersions: crawled.media.newVersions ?? 0, summary: await h.download() };
}

const driveDownloads = (): string[] => fake!.requestsTo('drive.download').map((r) => r.path.split('/')[5]!);
const mediaDownloads = (): number => fake!.requestsTo('media.download').length;
const bytesOf = (tenant: Tenant, m: Media): Buffer => mediaBytes(tenant.seed, mediaContentKey(m), 0, m.size);
const fileAt = (h: Harness, rel: string): Buffer => readFileSync(path.join(h.config.outputDir, rel));

/** A folder "Team" holding a drive file and a docx with one image. */
async function teamFolder(): Promise<{
  tenant: Tenant;
  h: Harness;
  folder: string;
  file: Media;
  image: Media;
}> {
  const tenant = emptyTenant({ seed: 21 });
  const folder = addFolder(tenant, { name: 'Team' });
  const file = addDriveFile(tenant, { name: 'report.pdf', size: 5000, folder: folder.token });
  const image = addMedia(tenant, { name: 'logo.png', size: 3000 });
  addDocx(tenant, { title: 'Plans', folder: folder.token, content: [block.image(image.token)] });
  fake = await startFakeFeishu({ tenant });
  // From the drive's root, so "Team" is listed with its name (a root folder is known by token only).
  const h = harness(fake, [{ type: 'folder', token: tenant.rootFolderToken }]);
  return { tenant, h, folder: folder.token, file, image };
}

describe('a new version of a drive file', () => {
  it('is downloaded once by the next backup, keeping the copy backed up before under versions/, and the by-document entry shows it', async () => {
    const t = await teamFolder();
    await backup(t.h);
    expect(driveDownloads()).toEqual([t.file.token]);
    const first = row(t.h, t.file.token);
    const firstVersion = String(t.tenant.drive.get(t.file.token)!.modifiedTime);
    expect(first).toMatchObject({
      status: 'done',
      remote_version: firstVersion,
      downloaded_version: firstVersion,
    });
    const oldBytes = bytesOf(t.tenant, t.file);
    expect(fileAt(t.h, first.path!).equals(oldBytes)).toBe(true);
    const entry = path.join(
      t.h.config.outputDir,
      'by-document',
      'folder',
      documentFolderName('Team', t.folder),
      'report.pdf',
    );
    expect(readFileSync(entry).equals(oldBytes)).toBe(true);

    uploadNewVersion(t.tenant, t.file.token, { size: 7000 });
    const newVersion = String(t.tenant.drive.get(t.file.token)!.modifiedTime);
    const newBytes = bytesOf(t.tenant, t.file);
    expect(newBytes.equals(oldBytes.subarray(0, newBytes.length))).toBe(false);

    const crawled = await t.h.run();
    expect(crawled.media.newVersions).toBe(1);
    // Queued again as if never tried; a dry run and `status` count it as work to do, by name.
    expect(row(t.h, t.file.token)).toMatchObject({
      status: 'pending',
      attempts: 0,
      remote_version: newVersion,
    });
    const plan = await t.h.download({ dryRun: true });
    expect(plan.left).toMatchObject({ files: 1, newVersions: 1 });
    expect(readStatus(t.h.db, { day: '2026-01-01' }).media.newVersions).toBe(1);

    const mediaBefore = mediaDownloads();
    const summary = await t.h.download();
    expect(summary).toMatchObject({ stopReason: 'complete', downloaded: 1, requests: 1 });
    // Exactly one more drive-file download; the docx image (immutable) is not fetched again.
    expect(driveDownloads()).toEqual([t.file.token, t.file.token]);
    expect(mediaDownloads()).toBe(mediaBefore);

    const now = row(t.h, t.file.token);
    expect(now).toMatchObject({
      status: 'done',
      path: first.path,
      sha256: sha256(newBytes),
      remote_version: newVersion,
      downloaded_version: newVersion,
    });
    expect(fileAt(t.h, now.path!).equals(newBytes)).toBe(true);
    // The earlier copy, byte for byte, under the token's versions/ folder named by its Feishu time.
    const kept = path.posix.join(
      path.posix.dirname(first.path!),
      'versions',
      stamp(Number(firstVersion)),
      'report.pdf',
    );
    expect(sha256(fileAt(t.h, kept))).toBe(first.sha256);
    expect(fileAt(t.h, kept).equals(oldBytes)).toBe(true);
    expect(readdirSync(path.join(t.h.config.outputDir, path.dirname(first.path!))).sort()).toEqual([
      'report.pdf',
      'versions',
    ]);
    // The by-document entry now shows the new version (the same name, replaced in place).
    expect(readFileSync(entry).equals(newBytes)).toBe(true);
    expect(statSync(entry).ino).toBe(statSync(path.join(t.h.config.outputDir, now.path!)).ino);
    expect(readdirSync(path.dirname(entry))).toEqual(['report.pdf']);
    expect(readStatus(t.h.db, { day: '2026-01-01' }).media.newVersions).toBe(0);

    // Nothing changed since: the next backup downloads nothing.
    const again = await backup(t.h);
    expect(again.newVersions).toBe(0);
    expect(again.summary).toMatchObject({ downloaded: 0, requests: 0 });
    expect(driveDownloads()).toHaveLength(2);
    expect(mediaDownloads()).toBe(mediaBefore);
  });

  it('renamed with the upload: the token folder and the by-document folder show only the new name; the old one is kept', async () => {
    const t = await teamFolder();
    await backup(t.h);
    const first = row(t.h, t.file.token);
    const firstVersion = Number(t.tenant.drive.get(t.file.token)!.modifiedTime);
    const oldBytes = bytesOf(t.tenant, t.file);
    uploadNewVersion(t.tenant, t.file.token, { name: 'report v2.pdf' });

    const { newVersions } = await backup(t.h);
    expect(newVersions).toBe(1);
    expect(driveDownloads()).toHaveLength(2);
    const now = row(t.h, t.file.token);
    expect(path.posix.basename(now.path!)).toBe('report v2.pdf');
    expect(fileAt(t.h, now.path!).equals(bytesOf(t.tenant, t.file))).toBe(true);
    const folder = path.join(t.h.config.outputDir, path.dirname(first.path!));
    expect(readdirSync(folder).sort()).toEqual(['report v2.pdf', 'versions']);
    expect(
      readFileSync(path.join(folder, 'versions', stamp(firstVersion), 'report.pdf')).equals(oldBytes),
    ).toBe(true);
    const docFolder = path.join(
      t.h.config.outputDir,
      'by-document',
      'folder',
      documentFolderName('Team', t.folder),
    );
    expect(readdirSync(docFolder)).toEqual(['report v2.pdf']);
    expect(readFileSync(path.join(docFolder, 'report v2.pdf')).equals(bytesOf(t.tenant, t.file))).toBe(true);
  });

  it('in a wiki space (obj_edit_time) is downloaded again too, and each version is kept', async () => {
    const tenant = emptyTenant({ seed: 22 });
    const space = addWikiSpace(tenant, { name: 'Handbook' });
    const file = addDriveFile(tenant, { name: 'slides.key', size: 4000, folder: null });
    addWikiNode(tenant, space, { objToken: file.token, objType: 'file', title: 'slides.key' });
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'wiki', spaceId: space.spaceId }]);
    await backup(h);
    const times = [space.nodes[0]!.objEditTime];
    const copies = [bytesOf(tenant, file)];
    for (let i = 0; i < 2; i++) {
      uploadNewVersion(tenant, file.token);
      times.push(space.nodes[0]!.objEditTime);
      copies.push(bytesOf(tenant, file));
      expect((await backup(h)).newVersions).toBe(1);
    }
    expect(driveDownloads()).toHaveLength(3);
    const now = row(h, file.token);
    expect(now).toMatchObject({ status: 'done', downloaded_version: String(times[2]) });
    expect(fileAt(h, now.path!).equals(copies[2]!)).toBe(true);
    const versions = path.join(h.config.outputDir, path.dirname(now.path!), 'versions');
    expect(readdirSync(versions).sort()).toEqual([stamp(times[0]!), stamp(times[1]!)]);
    expect(readFileSync(path.join(versions, stamp(times[0]!), 'slides.key')).equals(copies[0]!)).toBe(true);
    expect(readFileSync(path.join(versions, stamp(times[1]!), 'slides.key')).equals(copies[1]!)).toBe(true);
  });
});

describe('new versions of many drive files in one folder, downloaded in parallel', () => {
  it('leave each by-document entry showing its own file, with no duplicate entries', async () => {
    const tenant = emptyTenant({ seed: 23 });
    const folder = addFolder(tenant, { name: 'Team' });
    const files = Array.from({ length: 16 }, (_, i) =>
      addDriveFile(tenant, { name: `f${i}.pdf`, size: 2000 + i, folder: folder.token }),
    );
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'folder', token: tenant.rootFolderToken }]);
    const limits = { qps: 1000, perDay: 100_000, concurrency: 4, dayBoundaryTimeZone: 'Asia/Shanghai' };
    await h.run();
    await h.download({ limits });
    for (const f of files) uploadNewVersion(tenant, f.token);
    await h.run();
    expect(await h.download({ limits })).toMatchObject({ downloaded: 16 });
    const docFolder = path.join(
      h.config.outputDir,
      'by-document',
      'folder',
      documentFolderName('Team', folder.token),
    );
    expect(readdirSync(docFolder).sort()).toEqual(files.map((f) => f.name).sort());
    for (const f of files) {
      expect(readFileSync(path.join(docFolder, f.name)).equals(bytesOf(tenant, f)), f.name).toBe(true);
    }
  });
});

describe('a drive file half downloaded when a new version of the same size is uploaded', () => {
  it('is fetched again from zero, never continued with the new version’s bytes', async () => {
    const t = await teamFolder();
    await t.h.run();
    fake!.faults.inject({ route: 'drive.download', fault: { kind: 'reset', afterBytes: 2000 } });
    // One try only: the .part keeps the first 2,000 bytes of the first version.
    expect(await t.h.download({ maxRetries: 0 })).toMatchObject({ downloaded: 1, requests: 2 });
    expect(
      t.h.db.prepare('SELECT status, bytes_on_disk FROM media WHERE file_token = ?').get(t.file.token),
    ).toEqual({ status: 'error', bytes_on_disk: 2000 });

    uploadNewVersion(t.tenant, t.file.token); // same size, new bytes
    const newBytes = bytesOf(t.tenant, t.file);
    await t.h.run();
    expect(await t.h.download()).toMatchObject({ downloaded: 1, requests: 1 });
    const [, , again] = fake!.requestsTo('drive.download');
    expect(again?.headers.range).toBeUndefined();
    const now = row(t.h, t.file.token);
    expect(fileAt(t.h, now.path!).equals(newBytes)).toBe(true);
    expect(now).toMatchObject({ status: 'done', sha256: sha256(newBytes) });
  });
});

describe('drive files downloaded before versions were recorded (downloaded_version NULL)', () => {
  it('are fetched again only when the listing says they were modified after the download', async () => {
    const tenant = emptyTenant({ seed: 23 });
    const folder = addFolder(tenant, { name: 'Archive' });
    const unchanged = addDriveFile(tenant, { name: 'old.pdf', size: 3000, folder: folder.token });
    const changed = addDriveFile(tenant, { name: 'changed.pdf', size: 3000, folder: folder.token });
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'folder', token: folder.token }]);
    await backup(h);
    expect(driveDownloads().sort()).toEqual([unchanged.token, changed.token].sort());
    // As an inventory from before migration 0011 holds them: no versions, only when they were downloaded.
    h.db.exec('UPDATE media SET remote_version = NULL, downloaded_version = NULL');
    const downloadedAt = Math.floor(Date.parse(row(h, changed.token).downloaded_at!) / 1000);
    // Both were last modified before we downloaded them (the fake's times are in 2025) ...
    expect(tenant.drive.get(unchanged.token)!.modifiedTime).toBeLessThan(downloadedAt);
    // ... and one gets a new version an hour after that download.
    const oldBytes = bytesOf(tenant, changed);
    uploadNewVersion(tenant, changed.token, { at: downloadedAt + 3600 });

    const { newVersions, summary } = await backup(h);
    expect(newVersions).toBe(1);
    expect(summary).toMatchObject({ downloaded: 1, requests: 1 });
    expect(driveDownloads().filter((t) => t === unchanged.token)).toHaveLength(1);
    expect(driveDownloads().filter((t) => t === changed.token)).toHaveLength(2);
    expect(row(h, unchanged.token)).toMatchObject({
      status: 'done',
      remote_version: String(tenant.drive.get(unchanged.token)!.modifiedTime),
      downloaded_version: null,
    });
    const now = row(h, changed.token);
    expect(now).toMatchObject({ status: 'done', downloaded_version: String(downloadedAt + 3600) });
    expect(fileAt(h, now.path!).equals(bytesOf(tenant, changed))).toBe(true);
    // Named by when the earlier copy was downloaded: its Feishu version was never recorded.
    const versions = path.join(h.config.outputDir, path.dirname(now.path!), 'versions');
    const [label, ...more] = readdirSync(versions);
    expect(more).toEqual([]);
    expect(label).toBe(`${stamp(downloadedAt)}-downloaded`);
    expect(readFileSync(path.join(versions, label!, 'changed.pdf')).equals(oldBytes)).toBe(true);
  });

  it('an unchanged library of legacy rows costs no download after the upgrade', async () => {
    const t = await teamFolder();
    await backup(t.h);
    t.h.db.exec('UPDATE media SET remote_version = NULL, downloaded_version = NULL');
    const requests = fake!.requests.length;
    const again = await backup(t.h);
    expect(again).toMatchObject({ newVersions: 0, summary: { downloaded: 0, requests: 0 } });
    expect(fake!.requests.slice(requests).filter((r) => r.route?.endsWith('download'))).toEqual([]);
    expect(
      existsSync(path.join(t.h.config.outputDir, path.dirname(row(t.h, t.file.token).path!), 'versions')),
    ).toBe(false);
  });
});
