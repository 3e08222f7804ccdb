import { afterEach, describe, expect, it } from 'vitest';
import { addDriveFile } from '../fake-feishu/index.js';
import type { Media } from '../fake-feishu/model.js';
import { type Env, startEnv } from './env.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** A drive file in the fake and its row in the inventory, as the crawl records it. */
function driveFile(e: Env, size: number): Media {
  const m = addDriveFile(e.fake.tenant, { name: `d${size}.bin`, size });
  e.db
    .prepare(
      `INSERT INTO media (file_token, name, size, mime_type, source) VALUES (?, ?, ?, ?, 'drive_file')`,
    )
    .run(m.token, m.name, m.size, m.mimeType);
  return m;
}

describe('download lanes', () => {
  it("starts drive files at their own pace while media wait for theirs: no lane waits behind another's", async () => {
    env = await startEnv({ fakeClock: true });
    // Media are the smaller files, so a single queue in size order would hand out every media first.
    const media = [1, 2, 3, 4].map((i) => env!.media({ size: 100 + i }));
    const drive = [4, 3, 2, 1].map((i) => driveFile(env!, 1000 + i));
    const startedAt = env.clock.now();
    const summary = await env.run({
      limits: { qps: 1, driveQps: 1, perDay: 10_000, concurrency: 2, dayBoundaryTimeZone: 'Asia/Shanghai' },
    });
    expect(summary.stopReason).toBe('complete');
    expect(summary.downloaded).toBe(8);
    for (const m of [...media, ...drive]) expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));

    const mediaAt = env.fake.requestsTo('media.download').map((r) => r.at - startedAt);
    const driveAt = env.fake.requestsTo('drive.download').map((r) => r.at - startedAt);
    expect(mediaAt).toHaveLength(4);
    expect(driveAt).toHaveLength(4);
    // Each lane starts at once and goes at its own 1/s: four starts in a little over 3 s of fake time,
    // both lanes together (one after the other would take 7 s). The slack: fake time moves on in
    // 250 ms steps while real requests are answered, which the limiter also sees as answer delays.
    expect(Math.max(mediaAt[0]!, driveAt[0]!)).toBeLessThan(500);
    expect(mediaAt.at(-1)!).toBeLessThan(4500);
    expect(driveAt.at(-1)!).toBeLessThan(4500);
    expect(summary.durationMs).toBeLessThan(5000);
    // The order within a lane is unchanged: smallest first.
    const driveOrder = env.fake.requestsTo('drive.download').map((r) => r.path.split('/')[5]);
    expect(driveOrder).toEqual([...drive].sort((a, b) => a.size - b.size).map((m) => m.token));
  });
});
