import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StagedMedia } from '../../src/inventory/target-staging.js';
import { StagingArea } from '../../src/target/staging.js';

/** An upload the test finishes (or fails) when it chooses: no timing involved. */
function controlledUploads(): {
  upload: (f: StagedMedia) => Promise<void>;
  started: StagedMedia[];
  finish: (i: number, error?: Error) => void;
  whenStarted: (n: number) => Promise<void>;
} {
  const started: StagedMedia[] = [];
  const settle: ((e?: Error) => void)[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  return {
    started,
    upload: (f) =>
      new Promise<void>((resolve, reject) => {
        started.push(f);
        settle.push((e) => (e ? reject(e) : resolve()));
        const ready = waiters.filter((w) => started.length >= w.n);
        waiters = waiters.filter((w) => started.length < w.n);
        for (const w of ready) w.resolve();
      }),
    finish: (i, error) => settle[i]!(error),
    whenStarted: (n) =>
      started.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
  };
}

const file = (id: number, size: number): StagedMedia => ({
  mediaId: id,
  path: `media/${id}`,
  sha256: 'x',
  size,
  uploadId: null,
});

function area(limit: number, upload: (f: StagedMedia) => Promise<void>, outputDir?: string): StagingArea {
  return new StagingArea({
    limit,
    outputDir: outputDir ?? mkdtempSync(join(tmpdir(), 'fb-staging-')),
    largestSeen: 0,
    upload,
    concurrency: 1,
  });
}

describe('the staging area (keepLocal false)', () => {
  it('holds a download back until an upload frees room, and records the peak measured on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-staging-'));
    const u = controlledUploads();
    const a = area(100, u.upload, dir);
    const first = await a.admit(60);
    expect(first).toBe(60);
    // A .part of 60 bytes on disk while the first file downloads: counted by the measurement.
    mkdirSync(join(dir, '.partial'));
    writeFileSync(join(dir, '.partial', 'a.part'), Buffer.alloc(30));
    let second: number | undefined | 'waiting' = 'waiting';
    const admitted = a.admit(50).then((r) => {
      second = r;
    });
    a.finished(first!, file(1, 60));
    await u.whenStarted(1);
    expect(second).toBe('waiting');
    expect(a.staged).toBe(60);
    u.finish(0);
    await admitted;
    expect(second).toBe(50);
    expect(a.summary).toMatchObject({ waits: 1, deleted: 1, peakBytes: 90 });
    a.finished(50, undefined);
    await a.drain();
    expect(a.staged).toBe(0);
  });

  it('lets a file larger than the limit through alone', async () => {
    const u = controlledUploads();
    const a = area(100, u.upload);
    expect(await a.admit(500)).toBe(500);
    let next: number | undefined | 'waiting' = 'waiting';
    const admitted = a.admit(10).then((r) => {
      next = r;
    });
    a.finished(500, file(1, 500));
    await u.whenStarted(1);
    expect(next).toBe('waiting');
    u.finish(0);
    await admitted;
    expect(next).toBe(10);
  });

  it('reserves the limit for a file of unknown size while nothing larger was seen, so it goes alone', async () => {
    const u = controlledUploads();
    const a = area(100, u.upload);
    expect(await a.admit(null)).toBe(100);
    expect(a.staged).toBe(100);
  });

  it('says no once the staged files failed to upload and nothing else can free room', async () => {
    const u = controlledUploads();
    const a = area(100, u.upload);
    const r = await a.admit(80);
    let next: number | undefined | 'waiting' = 'waiting';
    const admitted = a.admit(50).then((x) => {
      next = x;
    });
    a.finished(r!, file(1, 80));
    await u.whenStarted(1);
    u.finish(0, new Error('checksum_mismatch'));
    await admitted;
    expect(next).toBeUndefined();
    expect(a.summary).toMatchObject({ failed: 1, deleted: 0, full: true });
    await a.drain();
  });

  it('stops at a setup error: admit says no and drain throws it', async () => {
    const u = controlledUploads();
    const a = area(100, u.upload);
    a.add(file(1, 10));
    await u.whenStarted(1);
    const setup = Object.assign(new Error('refused'), { name: 'TargetError' });
    u.finish(0, setup);
    await expect(a.drain()).rejects.toBe(setup);
    expect(await a.admit(1)).toBeUndefined();
  });
});
