import { afterAll, beforeAll } from 'vitest';
import { makeHealthy } from '../cli/helpers.js';
import { type FakeFeishu, generateTenant, startFakeFeishu } from '../fake-feishu/index.js';
import { startS3, type TestS3 } from '../target/s3rver.js';

/**
 * What the kill -9 suites with a bucket run against: a healthy fake tenant of about 30 media files
 * (up to 60 KB each; seed 5) and an s3rver with the bucket `backup`. Apart from harness.ts, which
 * many suites load that need no S3.
 */
export async function startUploadWorld(): Promise<{ fake: FakeFeishu; s3: TestS3 }> {
  const fake = await startFakeFeishu({
    tenant: generateTenant({
      seed: 5,
      folders: 2,
      docxPerFolder: 3,
      sheets: 1,
      bitables: 1,
      recordsPerTable: 6,
      wikiSpaces: 0,
      maxMediaBytes: 60_000,
    }),
  });
  makeHealthy(fake);
  return { fake, s3: await startS3(['backup']) };
}

/** One upload world for all the file's tests, handed to `set` before them and closed after them. */
export function useUploadWorld(set: (w: { fake: FakeFeishu; s3: TestS3 }) => void): void {
  let world: { fake: FakeFeishu; s3: TestS3 };
  beforeAll(async () => {
    world = await startUploadWorld();
    set(world);
  });
  afterAll(async () => {
    await world.fake.close();
    await world.s3.close();
  });
}
