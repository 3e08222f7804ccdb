import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Target } from '../../src/config/types.js';
import type { Db } from '../../src/inventory/open.js';

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
