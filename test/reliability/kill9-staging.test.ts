import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, tempDir, writeStagingConfig } from '../cli/helpers.js';
import type { FakeFeishu } from '../fake-feishu/index.js';
import { s3Client, type TestS3 } from '../target/s3rver.js';
import { useUploadWorld } from './upload-world.js';

/**
 * kill -9 with keepLocal false (issue 16): downloads and uploads interleave within the staging
 * limit, and the run is killed after its n-th upload was recorded (downloads, uploads and deletes in
 * flight). The next run loses nothing: every file ends in the bucket with its SHA-256 and gone from
 * the disk, no row is left uploading, and staging stayed under the limit.
 */
const LIMIT = 150_000;
let fake: FakeFeishu;
let s3: TestS3;
useUploadWorld((w) => {
  ({ fake, s3 } = w);
});

describe('kill -9 while staging with keepLocal false', () => {
  it('the next run finishes the bucket and removes every staged file, losing none', async () => {
    const dir = tempDir();
    const config = writeStagingConfig(dir, fake, s3, 'k9s', LIMIT);
    for (const n of [1, 4]) {
      const cli = spawnCli(['backup', '--verbose', '--config', config], { env: s3.env });
      await cli.waitFor(new RegExp(`(Uploaded k9s/media/[^\\n]*\\n[^]*){${n}}`));
      cli.child.kill('SIGKILL');
      expect((await cli.done).signal).toBe('SIGKILL');
      // The kill left work behind: files not downloaded yet, or staged and not in the bucket.
      const db = new Database(join(dir, 'staging', 'inventory.sqlite'), { readonly: true });
      const left = db
        .prepare(
          `SELECT COUNT(*) AS n FROM media m LEFT JOIN target_objects t ON t.object_key = 'k9s/' || m.path
            WHERE m.status <> 'done' OR t.status IS NOT 'done'`,
        )
        .get() as { n: number };
      db.close();
      expect(left.n).toBeGreaterThan(0);
    }
    const last = await runCli(['backup', '--config', config], { env: s3.env });
    expect(last.code, last.stderr + last.stdout).toBe(0);

    const staging = join(dir, 'staging');
    const db = new Database(join(staging, 'inventory.sqlite'), { readonly: true });
    const media = db.prepare(`SELECT path, sha256, status FROM media`).all() as {
      path: string;
      sha256: string;
      status: string;
    }[];
    const notDone = db.prepare(`SELECT COUNT(*) AS n FROM target_objects WHERE status <> 'done'`).get();
    const runs = db.prepare(`SELECT summary_json FROM runs WHERE command = 'backup' ORDER BY id`).all() as {
      summary_json: string | null;
    }[];
    db.close();
    expect(notDone).toEqual({ n: 0 });
    expect(media.length).toBeGreaterThan(20);
    expect(media.filter((m) => m.status !== 'done')).toEqual([]);
    const client = s3Client(s3);
    for (const m of media) {
      const head = await client.send(new HeadObjectCommand({ Bucket: 'backup', Key: `k9s/${m.path}` }));
      expect(head.Metadata?.sha256, m.path).toBe(m.sha256);
      expect(existsSync(join(staging, m.path)), m.path).toBe(false);
    }
    const staged = JSON.parse(runs.at(-1)!.summary_json!) as { upload: { staging: { peakBytes: number } } };
    console.log(
      `kill -9 staging: ${media.length} files; last run's peak ${staged.upload.staging.peakBytes} of ${LIMIT}`,
    );
    expect(staged.upload.staging.peakBytes).toBeLessThanOrEqual(LIMIT);
  });
});
