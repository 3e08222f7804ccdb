import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/limits/clock.js';
import { DaySpentDetector } from '../../src/limits/day-spent.js';

describe('DaySpentDetector', () => {
  it('calls the day spent at once when our count is within 2% of the cap', () => {
    const d = new DaySpentDetector({ clock: new ManualClock(0) });
    expect(d.limited({ used: 9_799, limit: 10_000 })).toBeUndefined();
    expect(d.limited({ used: 9_800, limit: 10_000 })).toBe('counter');
  });

  it('calls it spent by the server only after 1061045 kept coming for the whole patience', async () => {
    const clock = new ManualClock(0);
    const d = new DaySpentDetector({ clock, patienceMs: 600_000 });
    const usage = { used: 10, limit: 10_000 };
    expect(d.limited(usage)).toBeUndefined();
    await clock.advance(599_999);
    expect(d.limited(usage)).toBeUndefined();
    await clock.advance(1);
    expect(d.limited(usage)).toBe('server');
  });

  it('starts over after the endpoint served a file in between', async () => {
    const clock = new ManualClock(0);
    const d = new DaySpentDetector({ clock, patienceMs: 600_000 });
    const usage = { used: 10, limit: 10_000 };
    d.limited(usage);
    await clock.advance(500_000);
    d.ok();
    await clock.advance(200_000);
    expect(d.limited(usage)).toBeUndefined();
    expect(d.limitedForMs()).toBe(0);
  });

  it('backs off from 1 s, doubling, to at most a minute, or longer when the server says so', () => {
    const d = new DaySpentDetector({ clock: new ManualClock(0) });
    const full = (): number => d.backoffMs(undefined, () => 1);
    expect([full(), full(), full(), full(), full(), full(), full(), full()]).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000,
    ]);
    expect(d.backoffMs(90_000, () => 1)).toBe(90_000);
  });

  it('rejects a patience that is not a finite number >= 0, naming the option', () => {
    expect(() => new DaySpentDetector({ clock: new ManualClock(0), patienceMs: -1 })).toThrow(/patienceMs/);
  });
});
