import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Target } from '../../src/config/types.js';
import { type Db, openInventory } from '../../src/inventory/open.js';
import { startRun } from '../../src/inventory/runs.js';
import { startS3, type TestS3 } from './s3rver.js';

export const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export const MiB = 1024 * 1024;

export const testTarget = (endpoint: string, over: Partial<Target> = {}): Target => ({
  endpoint,
  region: 'us-east-1',
  bucket: 'backup',
  prefix: 'feishu/',
  forcePathStyle: true,
  keepLocal: true,
  ...over,
});

/** A media row that is done on disk, as the downloader leaves it; returns its local path. */
export function addDone(db: Db, dir: string, token: string, bytes: Buffer, name = 'file.bin'): string {
  const rel = `media/${token.slice(0, 2)}/${token}/${name}`;
  mkdirSync(join(dir, 'media', token.slice(0, 2), token), { recursive: true });
  writeFileSync(join(dir, ...rel.split('/')), bytes);
  db.prepare(
    `INSERT INTO media (file_token, name, status, path, sha256, bytes_on_disk) VALUES (?, ?, 'done', ?, ?, ?)`,
  ).run(token, name, rel, sha(bytes), bytes.length);
  return rel;
}

/** The object's bytes, read back as a restore would. */
export async function getBytes(client: S3Client, key: string): Promise<Buffer> {
  const r = await client.send(new GetObjectCommand({ Bucket: 'backup', Key: key }));
  return Buffer.from(await r.Body!.transformToByteArray());
}

/** An s3rver whose key pair is in the environment, and an inventory in a fresh folder. */
export interface TargetWorld {
  s3: TestS3;
  dir: string;
  db: Db;
}

/** Starts a TargetWorld; the inventory has two backup runs started, as after an earlier run. */
export async function startTargetWorld(dirPrefix: string): Promise<TargetWorld> {
  const s3 = await startS3(['backup']);
  for (const [k, v] of Object.entries(s3.env)) vi.stubEnv(k, v);
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  const db = openInventory(join(dir, 'inventory.sqlite'));
  startRun(db, 'backup');
  startRun(db, 'backup');
  return { s3, dir, db };
}

export async function closeTargetWorld(w: TargetWorld): Promise<void> {
  w.db.close();
  vi.unstubAllEnvs();
  await w.s3.close();
}

/** A fresh TargetWorld for each test of the file, handed to `set` before the test and closed after it. */
export function useTargetWorld(dirPrefix: string, set: (w: TargetWorld) => void): void {
  let world: TargetWorld;
  beforeEach(async () => {
    world = await startTargetWorld(dirPrefix);
    set(world);
  });
  afterEach(() => closeTargetWorld(world));
}
