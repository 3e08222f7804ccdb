import { describe, expect, it } from 'vitest';
import { calculateRetryDelay } from '../../src/limits/backoff.js';
import { ManualClock } from '../../src/limits/clock.js';
import { SlidingWindowLimiter } from '../../src/limits/sliding-window.js';

/** Starts `n` acquisitions and records the clock time each one is granted. */
function startAll(limiter: SlidingWindowLimiter, clock: ManualClock, n: number): number[] {
  const granted: number[] = [];
  for (let i = 0; i < n; i++) void limiter.acquire().then(() => granted.push(clock.now()));
  return granted;
}

describe('SlidingWindowLimiter', () => {
  it('never lets more than `limit` requests start in any window, even across a window boundary', async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter({ limit: 5, windowMs: 1000, clock });
    const granted = startAll(limiter, clock, 23);
    await clock.advance(10_000);
    expect(granted).toHaveLength(23);
    for (const t of granted) {
      expect(granted.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(5);
    }
    // A strict window is also a full one: 23 requests at 5/s need just over 4 s, not more.
    expect(granted.at(-1)).toBe(4000);
  });

  it('holds every start back until a server-requested pause is over', async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter({ limit: 100, clock });
    limiter.pauseUntil(52_000);
    const granted = startAll(limiter, clock, 2);
    await clock.advance(51_999);
    expect(granted).toEqual([]);
    await clock.advance(1);
    expect(granted).toEqual([52_000, 52_000]);
  });

  it('lets an aborted waiter leave without blocking the ones behind it', async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter({ limit: 1, clock });
    await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    await clock.advance(1000);
    // Granted at its slot (the start time it resolves with).
    await expect(next).resolves.toBe(1000);
  });

  it('rejects a limit that is not a positive integer, naming the option', () => {
    const clock = new ManualClock(0);
    expect(() => new SlidingWindowLimiter({ limit: 0, clock })).toThrow(
      'Expected `limit` to be an integer >= 1, got 0',
    );
  });
});

describe('calculateRetryDelay', () => {
  it('doubles per attempt up to the cap, with jitter in the upper half', () => {
    const low = (attempt: number): number => calculateRetryDelay(attempt, undefined, { random: () => 0 });
    const high = (attempt: number): number =>
      calculateRetryDelay(attempt, undefined, { random: () => 0.999999 });
    expect([low(1), low(2), low(3)]).toEqual([250, 500, 1000]);
    expect(high(3)).toBe(2000);
    expect(low(20)).toBe(15_000);
    expect(high(20)).toBe(30_000);
  });

  it('never waits less than the server asked', () => {
    expect(calculateRetryDelay(1, 52_000, { random: () => 0 })).toBe(52_000);
  });
});

describe('SlidingWindowLimiter with spacing', () => {
  it('spreads starts evenly instead of granting a window in one burst', async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter({ limit: 5, windowMs: 1000, spacingMs: 200, clock });
    const granted = startAll(limiter, clock, 6);
    await clock.advance(5000);
    expect(granted).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it('does not carry a late start forward to the ones after it', async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter({ limit: 5, windowMs: 1000, spacingMs: 200, clock });
    await limiter.acquire(); // t=0, next slot at 200
    await clock.advance(250); // the caller comes 50 ms late
    await limiter.acquire(); // granted at 250; the next slot stays on schedule at 400
    const granted = startAll(limiter, clock, 1);
    await clock.advance(150);
    expect(granted).toEqual([400]);
  });

  it('moves a start later in the window by how much slower its answer came than the fastest, so jitter cannot bunch arrivals', async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1000, clock });
    const first = await limiter.acquire();
    // The first request took 40 ms to be answered (a new connection), the second 5 ms (the network's own).
    await clock.advance(100);
    const second = await limiter.acquire();
    limiter.answered(second, second + 5);
    limiter.answered(first, first + 40);
    const granted = startAll(limiter, clock, 1);
    await clock.advance(899);
    expect(granted).toEqual([]);
    await clock.advance(1);
    expect(granted).toEqual([]);
    // Not at 1000, when the first start leaves the window, but 35 ms later: when its arrival may leave it.
    await clock.advance(34);
    expect(granted).toEqual([]);
    await clock.advance(1);
    expect(granted).toEqual([1035]);
  });
});
