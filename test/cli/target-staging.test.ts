import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { StagingSummary } from '../../src/target/staging.js';
import { addDriveFile, type FakeFeishu, mediaBytes, uploadNewVersion } from '../fake-feishu/index.js';
import { sha } from '../target/fixture.js';
import { s3Client, startS3, type TestS3 } from '../target/s3rver.js';
import { makeHealthy, runCli, startTenant, tempDir, writeConfig, writeStagingConfig } from './helpers.js';

let s3: TestS3 | undefined;
let fake: FakeFeishu | undefined;

afterEach(async () => {
  await s3?.close();
  await fake?.close();
  s3 = undefined;
  fake = undefined;
});

const LIMIT = 20_000;

/** The stored copy's first byte flipped, as a new inode (the by-document hard links keep the good bytes). */
function damage(file: string): void {
  const bytes = readFileSync(file);
  bytes[0] = bytes[0]! ^ 0xff;
  rmSync(file);
  writeFileSync(file, bytes);
}

/** The local backup in ./staging, from now on with keepLocal false and a staging limit of LIMIT bytes. */
function stagedInPlace(dir: string, tenant: FakeFeishu, server: TestS3): string {
  return writeConfig(dir, tenant, {
    outputDir: './staging',
    target: { bucket: 'backup', endpoint: server.endpoint, keepLocal: false, stagingLimit: LIMIT },
  });
}

function lastStaging(database: string): StagingSummary | undefined {
  const db = new Database(database, { readonly: true });
  const row = db.prepare('SELECT summary_json FROM runs ORDER BY id DESC LIMIT 1').get() as {
    summary_json: string;
  };
  db.close();
  return (JSON.parse(row.summary_json) as { upload?: { staging?: StagingSummary } }).upload?.staging;
}

function doneMedia(database: string): { file_token: string; path: string; sha256: string; size: number }[] {
  const db = new Database(database, { readonly: true });
  const rows = db
    .prepare(
      `SELECT file_token, path, sha256, bytes_on_disk AS size FROM media WHERE status = 'done' ORDER BY id`,
    )
    .all() as { file_token: string; path: string; sha256: string; size: number }[];
  db.close();
  return rows;
}

describe('keepLocal false: the local folder is a staging area', () => {
  it('stays under the staging limit, leaves nothing staged, downloads nothing twice and verifies the objects', async () => {
    fake = await startTenant({ docxPerFolder: 3, recordsPerTable: 6 });
    makeHealthy(fake);
    const file = addDriveFile(fake.tenant, { name: 'contract.pdf', size: 6000 });
    s3 = await startS3(['backup']);
    const dir = tempDir();
    const config = writeStagingConfig(dir, fake, s3, 'nightly', LIMIT);
    const staging = join(dir, 'staging');
    const database = join(staging, 'inventory.sqlite');
    const c = s3Client(s3);

    const first = await runCli(['backup', '--config', config], { env: s3.env });
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const rows = doneMedia(database);
    const total = rows.reduce((n, r) => n + r.size, 0);
    // Enough bytes that the limit had to hold some downloads back.
    expect(total).toBeGreaterThan(2 * LIMIT);
    const all = new Database(database, { readonly: true });
    expect(all.prepare('SELECT COUNT(*) AS n FROM media').get()).toEqual({ n: rows.length });
    all.close();
    const st = lastStaging(database)!;
    expect(st).toMatchObject({ limit: LIMIT, deleted: rows.length, failed: 0, full: false });
    console.log(
      `keepLocal false: ${rows.length} files, ${total} bytes through a ${LIMIT}-byte staging area; peak ${st.peakBytes}, ${st.waits} waits`,
    );
    expect(st.peakBytes).toBeGreaterThan(0);
    expect(st.peakBytes).toBeLessThanOrEqual(LIMIT);
    expect(st.waits).toBeGreaterThan(0);
    expect(first.stdout).toMatch(/staging: \d+ files? removed locally after upload; peak/);
    // Each file is in the bucket, checked, and gone from the disk; no by-document links were made.
    for (const r of rows) {
      expect(existsSync(join(staging, r.path)), r.path).toBe(false);
      const head = await c.send(new HeadObjectCommand({ Bucket: 'backup', Key: `nightly/${r.path}` }));
      expect(head.Metadata?.sha256).toBe(r.sha256);
    }
    expect(existsSync(join(staging, 'by-document'))).toBe(false);
    expect(
      readdirSync(join(staging, 'media'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()),
    ).toEqual([]);
    // The view stays local (and goes to the bucket), linking the files that are now only in the bucket.
    const index = await c.send(new GetObjectCommand({ Bucket: 'backup', Key: 'nightly/view/index.md' }));
    expect(await index.Body!.transformToString()).toMatch(/\]\(\.\.\/media\//);

    // The next night downloads nothing: the rows are done and the inventory knows the objects.
    const downloads = fake.requestsTo('media.download').length + fake.requestsTo('drive.download').length;
    const second = await runCli(['backup', '--config', config], { env: s3.env });
    expect(second.code, second.stderr + second.stdout).toBe(0);
    expect(fake.requestsTo('media.download').length + fake.requestsTo('drive.download').length).toBe(
      downloads,
    );
    expect(second.stdout).toMatch(/Uploaded\s+0 files/);

    const status = await runCli(['status', '--config', config], { env: s3.env });
    expect(status.stdout).toMatch(/Stored\s+\S+ KB of files, in the bucket \(removed from .* after upload\)/);
    expect(status.stdout).not.toMatch(/On disk/);
    expect(status.stdout).toContain(`${rows.length} of ${rows.length} files downloaded uploaded and checked`);
    expect(status.stdout).toMatch(/keepLocal false: files are removed locally once checked in the bucket/);

    // verify checks the objects instead of the files no longer on disk.
    const verify = await runCli(['verify', '--config', config], { env: s3.env });
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
    expect(verify.stdout).toContain(
      `${rows.length} more are only in the bucket (keepLocal false): checked there`,
    );
    expect(verify.stdout).toMatch(
      /Checked \d+ objects in s3:\/\/backup\/nightly\/ .* 0 missing or different/,
    );

    // A new version of the drive file: the bucket keeps the earlier one under versions/, as a local
    // backup would, although the earlier copy is no longer on disk.
    const oldBytes = mediaBytes(fake.tenant.seed, file.token, 0, 6000);
    uploadNewVersion(fake.tenant, file.token, { size: 6500 });
    const third = await runCli(['backup', '--config', config], { env: s3.env });
    expect(third.code, third.stderr + third.stdout).toBe(0);
    const drive = doneMedia(database).find((r) => r.file_token === file.token)!;
    const folder = drive.path.split('/').slice(0, -1).join('/');
    const db = new Database(database, { readonly: true });
    const kept = db
      .prepare(`SELECT object_key AS key FROM target_objects WHERE object_key LIKE ? AND status = 'done'`)
      .all(`nightly/${folder}/versions/%`) as { key: string }[];
    db.close();
    expect(kept.map((k) => k.key)).toEqual([
      expect.stringMatching(/\/versions\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\/contract\.pdf$/),
    ]);
    const old = await c.send(new GetObjectCommand({ Bucket: 'backup', Key: kept[0]!.key }));
    expect(sha(Buffer.from(await old.Body!.transformToByteArray()))).toBe(sha(oldBytes));
    const now = await c.send(new HeadObjectCommand({ Bucket: 'backup', Key: `nightly/${drive.path}` }));
    expect(now.Metadata?.sha256).toBe(drive.sha256);
    expect(existsSync(join(staging, drive.path))).toBe(false);
    expect(existsSync(join(staging, folder, 'versions'))).toBe(false);
  });

  it('switching an existing backup to keepLocal false uploads and removes its files; a damaged one stays, is named, and is fetched again', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    s3 = await startS3(['backup']);
    const dir = tempDir();
    const local = writeConfig(dir, fake, { outputDir: './staging' });
    const before = await runCli(['backup', '--config', local]);
    expect(before.code, before.stderr).toBe(0);
    const staging = join(dir, 'staging');
    const database = join(staging, 'inventory.sqlite');
    const rows = doneMedia(database);
    const damaged = rows[0]!;
    const file = join(staging, damaged.path);
    damage(file);
    const config = stagedInPlace(dir, fake, s3);
    const first = await runCli(['download', '--config', config], { env: s3.env });
    expect(first.code, first.stderr + first.stdout).toBe(3);
    expect(first.stdout).toContain(`${damaged.path}: the local copy hashes to`);
    expect(first.stdout).toMatch(/not uploaded \(retried next run\)/);
    for (const r of rows) expect(existsSync(join(staging, r.path)), r.path).toBe(r === damaged);
    expect(lastStaging(database)).toMatchObject({ deleted: rows.length - 1, failed: 1 });

    const verify = await runCli(['verify', '--repair', '--config', config], { env: s3.env });
    expect(verify.code, verify.stdout).toBe(3);
    expect(verify.stdout).toContain(`corrupt ${damaged.path}`);
    const again = await runCli(['download', '--config', config], { env: s3.env });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).toMatch(/Downloaded\s+1 file\b/);
    expect(existsSync(file)).toBe(false);
    const c = s3Client(s3);
    const head = await c.send(new HeadObjectCommand({ Bucket: 'backup', Key: damaged.path }));
    expect(head.Metadata?.sha256).toBe(damaged.sha256);
  });

  it('stops downloading, without hanging, when staging stays full of a file that cannot be uploaded; repaired, the next run finishes', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    s3 = await startS3(['backup']);
    const dir = tempDir();
    const local = writeConfig(dir, fake, { outputDir: './staging' });
    const partial = await runCli(['backup', '--max-downloads', '3', '--config', local]);
    expect(partial.code, partial.stderr).toBe(5);
    const staging = join(dir, 'staging');
    const database = join(staging, 'inventory.sqlite');
    const [damaged] = doneMedia(database);
    const file = join(staging, damaged!.path);
    damage(file);
    const config = stagedInPlace(dir, fake, s3);
    const full = await runCli(['download', '--config', config], { env: s3.env });
    expect(full.code, full.stderr + full.stdout).toBe(5);
    expect(full.stdout).toMatch(/downloads stopped: the staged files could not be uploaded/);
    expect(lastStaging(database)).toMatchObject({ full: true, failed: 1 });
    const all = new Database(database, { readonly: true });
    const left = all.prepare(`SELECT COUNT(*) AS n FROM media WHERE status <> 'done'`).get() as { n: number };
    all.close();
    expect(left.n).toBeGreaterThan(0);

    expect((await runCli(['verify', '--repair', '--config', config], { env: s3.env })).code).toBe(3);
    const done = await runCli(['download', '--config', config], { env: s3.env });
    expect(done.code, done.stderr + done.stdout).toBe(0);
    const rows = doneMedia(database);
    const db = new Database(database, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM media').get()).toEqual({ n: rows.length });
    db.close();
    for (const r of rows) expect(existsSync(join(staging, r.path)), r.path).toBe(false);
  });
});
