import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { makeHealthy, runCli, spawnCli, tempDir, writeConfig } from '../cli/helpers.js';
import type { FakeFeishu } from '../fake-feishu/index.js';
import { addDriveFile, generateTenant, startFakeFeishu } from '../fake-feishu/index.js';
import { type S3Proxy, startS3Proxy } from '../target/s3-proxy.js';
import { s3Client, startS3, type TestS3 } from '../target/s3rver.js';
import { useUploadWorld } from './upload-world.js';

/**
 * kill -9 in the upload phase (issue 16): the files are on disk, the run is killed after its n-th
 * upload was recorded (so others are in flight), and the next run finishes the bucket: every file and
 * snapshot in it with its SHA-256, no row left `uploading`.
 */
let fake: FakeFeishu;
let s3: TestS3;
useUploadWorld((w) => {
  ({ fake, s3 } = w);
});

describe('kill -9 during the upload phase', () => {
  it('the next runs upload what the killed ones did not, each object checked', async () => {
    const dir = tempDir();
    const local = writeConfig(dir, fake);
    const first = await runCli(['backup', '--config', local]);
    expect(first.code, first.stderr).toBe(0);
    const withTarget = writeConfig(dir, fake, {
      target: { bucket: 'backup', prefix: 'k9', endpoint: s3.endpoint },
    });

    for (const n of [1, 4, 9]) {
      const cli = spawnCli(['download', '--verbose', '--config', withTarget], { env: s3.env });
      const uploads = new RegExp(`(Uploaded k9/[^\\n]*\\n[^]*){${n}}`);
      await cli.waitFor(uploads);
      cli.child.kill('SIGKILL');
      expect((await cli.done).signal).toBe('SIGKILL');
    }
    const last = await runCli(['download', '--config', withTarget], { env: s3.env });
    expect(last.code, last.stderr + last.stdout).toBe(0);

    const db = new Database(join(dir, 'backup', 'inventory.sqlite'), { readonly: true });
    const expected = db
      .prepare(
        `SELECT path, sha256 FROM media WHERE status = 'done' UNION ALL SELECT path, sha256 FROM snapshots`,
      )
      .all() as { path: string; sha256: string }[];
    const notDone = db.prepare(`SELECT COUNT(*) AS n FROM target_objects WHERE status <> 'done'`).get();
    db.close();
    expect(notDone).toEqual({ n: 0 });
    const client = s3Client(s3);
    // Enough that each kill above left work for the next run.
    expect(expected.length).toBeGreaterThan(20);
    console.log(`kill -9 upload: ${expected.length} objects`);
    for (const e of expected) {
      const head = await client.send(new HeadObjectCommand({ Bucket: 'backup', Key: `k9/${e.path}` }));
      expect(head.Metadata?.sha256, e.path).toBe(e.sha256);
    }
  });
});

describe('kill -9 during a multipart upload', () => {
  it('the next run continues the recorded upload: no part recorded as sent goes out again', async () => {
    const tenant = generateTenant({
      seed: 6,
      folders: 1,
      docxPerFolder: 1,
      sheets: 0,
      bitables: 0,
      wikiSpaces: 0,
    });
    // Five 8 MiB parts, the last short.
    addDriveFile(tenant, { name: 'big.zip', size: 4 * 8 * 1024 * 1024 + 999 });
    const bigFake = await startFakeFeishu({ tenant });
    makeHealthy(bigFake);
    const s3m = await startS3(['backup']);
    const proxy: S3Proxy = await startS3Proxy(s3m.endpoint);
    try {
      const dir = tempDir();
      const first = await runCli(['backup', '--config', writeConfig(dir, bigFake)]);
      expect(first.code, first.stderr).toBe(0);
      const withTarget = writeConfig(dir, bigFake, {
        target: { bucket: 'backup', prefix: 'k9m', endpoint: proxy.endpoint },
      });

      const cli = spawnCli(['download', '--verbose', '--config', withTarget], { env: s3m.env });
      await cli.waitFor(/(Sent part \d+ of k9m\/[^\n]*big\.zip[\s\S]*){2}/);
      cli.child.kill('SIGKILL');
      expect((await cli.done).signal).toBe('SIGKILL');
      await proxy.settled();
      const inv = join(dir, 'backup', 'inventory.sqlite');
      const before = new Database(inv, { readonly: true });
      const big = before.prepare(`SELECT path, sha256 FROM media WHERE name = 'big.zip'`).get() as {
        path: string;
        sha256: string;
      };
      const key = `k9m/${big.path}`;
      const { uploadId } = before
        .prepare('SELECT upload_id AS uploadId FROM target_objects WHERE object_key = ?')
        .get(key) as { uploadId: string };
      const recorded = (
        before
          .prepare('SELECT part_number AS n FROM target_upload_parts WHERE upload_id = ?')
          .all(uploadId) as { n: number }[]
      ).map((r) => r.n);
      before.close();
      expect(recorded.length).toBeGreaterThanOrEqual(2);
      const status = await runCli(['status', '--config', withTarget], { env: s3m.env });
      expect(status.stdout).toMatch(
        /1 multipart upload interrupted \([\d.]+ MB sent\): the next backup or download continues them/,
      );
      proxy.seen.length = 0;

      const last = await runCli(['download', '--config', withTarget], { env: s3m.env });
      expect(last.code, last.stderr + last.stdout).toBe(0);

      const again = proxy.partsSent();
      expect(again.filter((n) => recorded.includes(n))).toEqual([]);
      expect([...recorded, ...again].sort()).toEqual([1, 2, 3, 4, 5]);
      expect(proxy.partsSent(uploadId)).toEqual(again);
      const after = new Database(inv, { readonly: true });
      expect(after.prepare(`SELECT COUNT(*) AS n FROM target_objects WHERE status <> 'done'`).get()).toEqual({
        n: 0,
      });
      expect(after.prepare('SELECT COUNT(*) AS n FROM target_upload_parts').get()).toEqual({ n: 0 });
      after.close();
      const client = s3Client(s3m);
      const got = await client.send(new GetObjectCommand({ Bucket: 'backup', Key: key }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(big.sha256);
    } finally {
      await proxy.close();
      await s3m.close();
      await bigFake.close();
    }
  });
});
