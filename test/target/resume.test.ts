import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/events.js';
import type { Db } from '../../src/inventory/open.js';
import { makeS3Client } from '../../src/target/s3-client.js';
import { uploadAll } from '../../src/target/upload-all.js';
import { addDone, getBytes, MiB, sha, testTarget, useTargetWorld } from './fixture.js';
import { type S3Proxy, startS3Proxy } from './s3-proxy.js';
import type { TestS3 } from './s3rver.js';

/**
 * Resumable multipart uploads against a real s3rver, seen through a counting proxy: the parts an
 * interrupted run recorded are not sent again, and the object's bytes hash right.
 */
let s3: TestS3;
let proxy: S3Proxy;
let dir: string;
let db: Db;

useTargetWorld('fb-resume-', (w) => {
  ({ s3, dir, db } = w);
});

// Registered after the world's hooks: started after it, closed before it.
beforeEach(async () => {
  proxy = await startS3Proxy(s3.endpoint);
});

afterEach(() => proxy.close());

/** Five parts of 8 MiB (the last short). */
const FILE_BYTES = 4 * 8 * MiB + 4321;

const recordedParts = (): number[] =>
  (db.prepare('SELECT part_number AS n FROM target_upload_parts ORDER BY n').all() as { n: number }[]).map(
    (r) => r.n,
  );

const uploadIdOf = (key: string): string | null =>
  (
    db.prepare('SELECT upload_id AS id FROM target_objects WHERE object_key = ?').get(key) as {
      id: string | null;
    }
  ).id;

/** Runs the upload phase and stops it (as Ctrl-C does) once `parts` parts were recorded. */
async function interruptedRun(parts: number): Promise<void> {
  const stop = new AbortController();
  let sent = 0;
  const log = (e: LogEvent): void => {
    if (e.event === 'upload.part' && ++sent === parts) stop.abort();
  };
  const t = testTarget(proxy.endpoint);
  const client = makeS3Client(t);
  await uploadAll({ client, db, target: t, outputDir: dir, runId: 1, signal: stop.signal, log });
  expect(stop.signal.aborted).toBe(true);
  client.destroy();
  await proxy.settled();
  proxy.seen.length = 0;
}

/** The second run's uploads through the proxy, to the end (`concurrency`, `log` as given). */
function secondRun(
  options: { concurrency?: number; log?: (e: LogEvent) => void } = {},
): ReturnType<typeof uploadAll> {
  const t = testTarget(proxy.endpoint);
  return uploadAll({ client: makeS3Client(t), db, target: t, outputDir: dir, runId: 2, ...options });
}

async function fullRun(): Promise<{ summary: Awaited<ReturnType<typeof uploadAll>>; events: LogEvent[] }> {
  const events: LogEvent[] = [];
  const summary = await secondRun({ log: (e) => events.push(e) });
  return { summary, events };
}

describe('a multipart upload interrupted by one run is continued by the next', () => {
  it('sends only the parts the inventory does not record as done, and the object hashes right', async () => {
    const bytes = randomBytes(FILE_BYTES);
    const rel = addDone(db, dir, 'boxResume01', bytes, 'big.zip');
    const key = `feishu/${rel}`;

    await interruptedRun(2);
    const done = recordedParts();
    const uploadId = uploadIdOf(key);
    expect(uploadId).not.toBeNull();
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done.length).toBeLessThan(5);

    const { summary, events } = await fullRun();

    expect(summary).toMatchObject({ uploaded: 1, failed: 0 });
    const again = proxy.partsSent();
    // Every part went out once over the two runs: none recorded as done was sent again.
    expect(again.filter((n) => done.includes(n))).toEqual([]);
    expect([...done, ...again].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(proxy.partsSent(uploadId!)).toEqual(again);
    expect(proxy.seen.filter((r) => r.method === 'POST' && r.query.has('uploads'))).toEqual([]);
    expect(events.find((e) => e.event === 'upload.resumed')?.message).toContain(
      `${done.length} parts already sent`,
    );
    expect(sha(await getBytes(makeS3Client(testTarget(s3.endpoint)), key))).toBe(sha(bytes));
    // The upload is finished: its id and parts are forgotten.
    expect(uploadIdOf(key)).toBeNull();
    expect(recordedParts()).toEqual([]);
  });

  it('sends again a recorded part whose local bytes changed since (a damaged copy since repaired)', async () => {
    const good = randomBytes(FILE_BYTES);
    const rel = addDone(db, dir, 'boxRepair01', good, 'big.zip');
    const file = join(dir, ...rel.split('/'));
    // One byte damaged in every part, so whichever parts the first run records were sent damaged.
    const bad = Buffer.from(good);
    for (let at = 10; at < FILE_BYTES; at += 8 * MiB) bad[at] = bad[at]! ^ 0xff;
    writeFileSync(file, bad);

    await interruptedRun(2);
    const sentDamaged = recordedParts();
    expect(sentDamaged.length).toBeGreaterThanOrEqual(2);
    writeFileSync(file, good);

    const { summary } = await fullRun();

    expect(summary).toMatchObject({ uploaded: 1, failed: 0 });
    expect(proxy.partsSent().sort()).toEqual([1, 2, 3, 4, 5]);
    expect(sha(await getBytes(makeS3Client(testTarget(s3.endpoint)), `feishu/${rel}`))).toBe(sha(good));
  });

  it.each([
    ['ListParts says NoSuchUpload', true],
    ['UploadPart says NoSuchUpload (the server has no ListParts)', false],
  ])(
    'starts over cleanly when the server no longer knows the recorded upload id: %s',
    async (_, listParts) => {
      const bytes = randomBytes(FILE_BYTES);
      const rel = addDone(db, dir, 'boxGone0001', bytes, 'big.zip');
      const key = `feishu/${rel}`;
      await interruptedRun(2);
      const old = uploadIdOf(key)!;
      proxy.forget(old, { listParts });

      const { summary, events } = await fullRun();

      expect(summary).toMatchObject({ uploaded: 1, failed: 0 });
      expect(events.some((e) => e.event === 'upload.restarted')).toBe(true);
      const created = proxy.seen.filter((r) => r.method === 'POST' && r.query.has('uploads'));
      expect(created).toHaveLength(1);
      const fresh = proxy.seen.filter((r) => r.query.has('partNumber') && r.query.get('uploadId') !== old);
      expect(fresh.map((r) => Number(r.query.get('partNumber'))).sort()).toEqual([1, 2, 3, 4, 5]);
      expect(sha(await getBytes(makeS3Client(testTarget(s3.endpoint)), key))).toBe(sha(bytes));
      expect(recordedParts()).toEqual([]);
    },
  );

  it('keeps at most four parts in memory however many large files upload at once, and each arrives intact', async () => {
    const files = ['boxTwoA0001', 'boxTwoB0001', 'boxTwoC0001'].map((token) => {
      const bytes = randomBytes(2 * 8 * MiB + 77);
      return { bytes, key: `feishu/${addDone(db, dir, token, bytes, 'big.zip')}` };
    });
    const summary = await secondRun({ concurrency: 3 });

    expect(summary).toMatchObject({ uploaded: 3, failed: 0 });
    expect(proxy.partsSent()).toHaveLength(9);
    expect(proxy.maxPartsAtOnce()).toBeLessThanOrEqual(4);
    const reader = makeS3Client(testTarget(s3.endpoint));
    for (const f of files) expect(sha(await getBytes(reader, f.key))).toBe(sha(f.bytes));
  });

  it('does not complete an upload whose local copy is damaged: no object, the row failed with the fix', async () => {
    const good = randomBytes(FILE_BYTES);
    const rel = addDone(db, dir, 'boxDamage01', good, 'big.zip');
    const bad = Buffer.from(good);
    bad[FILE_BYTES - 5] = bad[FILE_BYTES - 5]! ^ 0xff;
    writeFileSync(join(dir, ...rel.split('/')), bad);
    const key = `feishu/${rel}`;

    const { summary } = await fullRun();

    expect(summary).toMatchObject({ uploaded: 0, failed: 1 });
    expect(summary.failures[0]).toMatchObject({ key, code: 'checksum_mismatch' });
    expect(summary.failures[0]!.message).toContain('feishu-backup verify --repair');
    expect(
      db.prepare('SELECT status, error_code, upload_id FROM target_objects WHERE object_key = ?').get(key),
    ).toEqual({ status: 'error', error_code: 'checksum_mismatch', upload_id: null });
    // Never completed: the abort was asked for, and the bucket holds no such object.
    expect(proxy.seen.filter((r) => r.method === 'POST' && r.query.has('uploadId'))).toEqual([]);
    expect(proxy.seen.filter((r) => r.method === 'DELETE' && r.query.has('uploadId'))).toHaveLength(1);
    await expect(
      makeS3Client(testTarget(s3.endpoint)).send(new HeadObjectCommand({ Bucket: 'backup', Key: key })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });
});
