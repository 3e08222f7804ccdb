import { describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/feishu/client.js';
import { ManualClock } from '../../src/limits/clock.js';

describe('the wiki spaces list', () => {
  it('is paced to its documented 100 requests a minute, as a sliding minute', async () => {
    const clock = new ManualClock();
    const client = new FeishuClient({ appId: 'cli_x', appSecret: 's', baseUrl: 'http://127.0.0.1:1', clock });
    const started: number[] = [];
    const t0 = clock.now();
    const all = Array.from({ length: 101 }, () =>
      client.pace('wiki.spaces').then(() => started.push(clock.now() - t0)),
    );
    // A minute's window, not its per-second average: the first 100 start at once; the 101st waits
    // for the minute to slide (2% wider than documented, against jitter: src/feishu/buckets.ts).
    await clock.advance(59_000);
    expect(started).toHaveLength(100);
    expect(Math.max(...started)).toBe(0);
    await clock.advance(3_000);
    await Promise.all(all);
    expect(started[100]).toBeGreaterThanOrEqual(60_000);
    expect(started[100]).toBeLessThanOrEqual(61_200);
  });
});
