import { describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/feishu/client.js';
import { ManualClock } from '../../src/limits/clock.js';

describe('the wiki spaces list', () => {
  it('is paced to its documented 100 requests a minute, on top of the per-second rate', async () => {
    const clock = new ManualClock();
    const client = new FeishuClient({ appId: 'cli_x', appSecret: 's', baseUrl: 'http://127.0.0.1:1', clock });
    const started: number[] = [];
    const t0 = clock.now();
    const all = Array.from({ length: 101 }, () =>
      client.pace('wiki.spaces').then(() => started.push(clock.now() - t0)),
    );
    // 5/s: the first 100 start within 20 s; the 101st waits for the minute to slide.
    await clock.advance(59_000);
    expect(started).toHaveLength(100);
    expect(Math.max(...started)).toBeLessThan(21_000);
    await clock.advance(2_000);
    await Promise.all(all);
    expect(started[100]).toBeGreaterThanOrEqual(60_000);
  });
});
