import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeFeishu } from '../fake-feishu/index.js';
import { s3Client, startS3, type TestS3 } from '../target/s3rver.js';
import { makeHealthy, mediaRows, runCli, startTenant, tempDir, writeConfig } from './helpers.js';

let s3: TestS3 | undefined;

afterEach(async () => {
  await s3?.close();
  s3 = undefined;
});

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function s3Config(dir: string, fake: FakeFeishu, server: TestS3, bucket = 'backup'): string {
  return writeConfig(dir, fake, {
    outputDir: `s3://${bucket}/nightly`,
    target: { bucket, endpoint: server.endpoint, stagingDir: './staging' },
  });
}

/** A healthy tenant backed up into a fresh bucket: its config, folder and the media rows done. */
async function backedUp(): Promise<{
  dir: string;
  config: string;
  rows: Awaited<ReturnType<typeof mediaRows>>;
  server: TestS3;
}> {
  const fake = await startTenant();
  makeHealthy(fake);
  const server = await startS3(['backup']);
  s3 = server;
  const dir = tempDir();
  const config = s3Config(dir, fake, server);
  expect((await runCli(['backup', '--config', config], { env: server.env })).code).toBe(0);
  const rows = (await mediaRows(join(dir, 'staging', 'inventory.sqlite'))).filter((m) => m.status === 'done');
  return { dir, config, rows, server };
}

describe('backup into an S3-compatible bucket', () => {
  it('uploads every downloaded file and the inventory, each checked by HEAD, and status shows the target', async () => {
    const fake = await startTenant();
    makeHealthy(fake);
    s3 = await startS3(['backup']);
    const dir = tempDir();
    const config = s3Config(dir, fake, s3);

    const r = await runCli(['backup', '--config', config], { env: s3.env });

    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(
      /Uploaded\s+\d+ files .* to s3:\/\/backup\/nightly\/ at http:\/\/127\.0\.0\.1:\d+, each checked by HEAD/,
    );
    // The SDK's "will need Node >= 22" notice is not the user's business on this run.
    expect(r.stderr + r.stdout).not.toMatch(/NodeVersionSupportWarning|node >=22/i);
    const database = join(dir, 'staging', 'inventory.sqlite');
    const rows = (await mediaRows(database)).filter((m) => m.status === 'done');
    expect(rows.length).toBeGreaterThan(0);
    const client = s3Client(s3);
    for (const row of rows) {
      const head = await client.send(new HeadObjectCommand({ Bucket: 'backup', Key: `nightly/${row.path}` }));
      expect(head.Metadata?.sha256).toBe(sha256(join(dir, 'staging', row.path!)));
    }
    await client.send(new HeadObjectCommand({ Bucket: 'backup', Key: 'nightly/inventory.sqlite' }));
    const db = new Database(database, { readonly: true });
    // The view and the per-document manifests are counted apart (the bucket mirrors the whole layout).
    const done = db
      .prepare(
        `SELECT COUNT(*) AS n FROM target_objects WHERE status = 'done'
           AND object_key NOT LIKE 'nightly/view/%' AND object_key NOT LIKE 'nightly/by-document/%'`,
      )
      .get();
    const snapshots = db.prepare('SELECT path, sha256 FROM snapshots').all() as {
      path: string;
      sha256: string;
    }[];
    db.close();
    expect(snapshots.length).toBeGreaterThan(0);
    for (const snap of snapshots) {
      const head = await client.send(
        new HeadObjectCommand({ Bucket: 'backup', Key: `nightly/${snap.path}` }),
      );
      expect(head.Metadata?.sha256).toBe(snap.sha256);
    }
    expect(done).toEqual({ n: rows.length + snapshots.length + 1 });

    const status = await runCli(['status', '--config', config], { env: s3.env });
    expect(status.stdout).toMatch(/Target\s+s3:\/\/backup\/nightly\//);
    expect(status.stdout).toContain(`${rows.length} of ${rows.length} files on disk uploaded and checked`);
    expect(status.stdout).toContain(`${snapshots.length} of ${snapshots.length} snapshots uploaded`);
  });

  it('verify HEADs every uploaded object; a missing or different one exits 3 and is uploaded again by the next run', async () => {
    const { config, rows, server } = await backedUp();
    const [gone, changed] = rows;
    const client = s3Client(server);
    await client.send(new DeleteObjectCommand({ Bucket: 'backup', Key: `nightly/${gone!.path}` }));
    await client.send(
      new PutObjectCommand({
        Bucket: 'backup',
        Key: `nightly/${changed!.path}`,
        Body: 'not the file',
        Metadata: { sha256: '0'.repeat(64) },
      }),
    );

    const verify = await runCli(['verify', '--config', config], { env: server.env });
    expect(verify.code, verify.stderr + verify.stdout).toBe(3);
    expect(verify.stdout).toMatch(
      /Checked \d+ objects in s3:\/\/backup\/nightly\/ .* 2 missing or different/,
    );
    expect(verify.stdout).toContain(`missing nightly/${gone!.path}`);
    expect(verify.stdout).toContain(`differs nightly/${changed!.path}`);
    const status = await runCli(['status', '--config', config], { env: server.env });
    expect(status.stdout).toMatch(/files on disk uploaded and checked, 2 failed/);
    expect(status.stdout).toContain(`failed nightly/${gone!.path}: missing_in_bucket: not in the bucket`);
    expect(status.stdout).toContain('the next backup or download uploads the failed ones again');

    const again = await runCli(['download', '--config', config], { env: server.env });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).toMatch(/Uploaded\s+2 files/);
    const clean = await runCli(['verify', '--config', config], { env: server.env });
    expect(clean.code, clean.stdout).toBe(0);
  });

  it('verify --deep downloads and re-hashes each object: bytes replaced behind a right HEAD are found (exit 3), then uploaded again', async () => {
    const { dir, config, rows, server } = await backedUp();
    const [gone, rotten] = rows;
    const client = s3Client(server);
    await client.send(new DeleteObjectCommand({ Bucket: 'backup', Key: `nightly/${gone!.path}` }));
    // Same length, same SHA-256 metadata, other bytes: only re-hashing the object can tell.
    const good = readFileSync(join(dir, 'staging', rotten!.path!));
    const bad = Buffer.from(good);
    bad[0] = bad[0]! ^ 0xff;
    await client.send(
      new PutObjectCommand({
        Bucket: 'backup',
        Key: `nightly/${rotten!.path}`,
        Body: bad,
        Metadata: { sha256: sha256(join(dir, 'staging', rotten!.path!)) },
      }),
    );

    // HEAD finds the deleted object, but the replaced bytes pass: their metadata and length are right.
    const head = await runCli(['verify', '--config', config], { env: server.env });
    expect(head.code).toBe(3);
    expect(head.stdout).toMatch(/Checked \d+ objects in .* 1 missing or different/);
    expect(head.stdout).toContain(`missing nightly/${gone!.path}`);
    expect(head.stdout).not.toContain(rotten!.path!);

    const deep = await runCli(['verify', '--deep', '--config', config], { env: server.env });
    expect(deep.code, deep.stderr + deep.stdout).toBe(3);
    expect(deep.stdout).toMatch(
      /Downloaded and re-hashed \d+ objects \([^)]+\) from s3:\/\/backup\/nightly\/ .*: \d+ ok, 1 missing, different or corrupt/,
    );
    expect(deep.stdout).toMatch(
      new RegExp(
        `corrupt nightly/${rotten!.path!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(its ${good.length} bytes hash to`,
      ),
    );
    expect(deep.stdout).toContain('The next `feishu-backup backup` or `download` uploads them again.');

    const again = await runCli(['download', '--config', config], { env: server.env });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).toMatch(/Uploaded\s+2 files/);
    const clean = await runCli(['verify', '--deep', '--config', config], { env: server.env });
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toMatch(/Downloaded and re-hashed \d+ objects .*: (\d+) ok, 0 missing/);
  });

  it('stops before the crawl with exit 2 when the bucket does not exist, naming the fix', async () => {
    const fake = await startTenant();
    s3 = await startS3([]);
    const dir = tempDir();
    const r = await runCli(['backup', '--config', s3Config(dir, fake, s3, 'missing-bucket')], {
      env: s3.env,
    });

    expect(r.code, r.stderr + r.stdout).toBe(2);
    expect(r.stderr).toContain('The bucket s3://missing-bucket');
    expect(r.stderr).toContain('does not exist');
    expect(r.stderr).toContain('aws s3 mb s3://missing-bucket');
    expect(fake.requestsTo('media.download')).toHaveLength(0);
  });

  it('exits 2 on refused credentials without echoing the secret', async () => {
    const fake = await startTenant();
    s3 = await startS3(['backup']);
    const dir = tempDir();
    const secret = 'wrongSecretValue/abc123XYZ';
    const env = { ...s3.env, AWS_ACCESS_KEY_ID: 'AKIAWRONGKEY00000001', AWS_SECRET_ACCESS_KEY: secret };
    const r = await runCli(['backup', '--verbose', '--config', s3Config(dir, fake, s3)], { env });

    expect(r.code, r.stderr + r.stdout).toBe(2);
    expect(r.stderr).toMatch(/refused the credentials/);
    expect(r.stderr).toMatch(/AWS_ACCESS_KEY_ID/);
    expect(r.stderr + r.stdout).not.toContain(secret);
  });
});
