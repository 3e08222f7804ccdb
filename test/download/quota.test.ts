import { afterEach, describe, expect, it } from 'vitest';
import { openInventory } from '../../src/inventory/open.js';
import { DailyQuota } from '../../src/inventory/quota.js';
import { dayKey, nextDayStart } from '../../src/limits/calendar-day.js';
import { ManualClock } from '../../src/limits/clock.js';
import { tempInventory } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('calendar days', () => {
  it('cuts the day at midnight in the configured zone, not UTC', () => {
    // 2026-01-01T15:59:59Z is 23:59:59 in Shanghai; one second later it is the 2nd there.
    expect(dayKey(Date.UTC(2026, 0, 1, 15, 59, 59), 'Asia/Shanghai')).toBe('2026-01-01');
    expect(dayKey(Date.UTC(2026, 0, 1, 16, 0, 0), 'Asia/Shanghai')).toBe('2026-01-02');
    expect(dayKey(Date.UTC(2026, 0, 1, 16, 0, 0), 'UTC')).toBe('2026-01-01');
  });

  it('finds the next day start, across a DST change too', () => {
    expect(nextDayStart(Date.UTC(2026, 0, 1, 3), 'Asia/Shanghai')).toBe(Date.UTC(2026, 0, 1, 16));
    // New York springs forward on 2026-03-08: that day has 23 hours, midnight is 04:00Z after it.
    expect(nextDayStart(Date.UTC(2026, 2, 8, 12), 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 4));
  });

  it('rejects an unknown zone with a message naming the option', () => {
    const { db, cleanup } = tempInventory();
    cleanups.push(cleanup);
    expect(() => new DailyQuota({ db, perDay: 1, timeZone: 'Mars/Base', clock: new ManualClock() })).toThrow(
      /timeZone/,
    );
  });
});

describe('DailyQuota', () => {
  it('refuses the request after the cap and counts nothing for a refusal', () => {
    const { db, cleanup } = tempInventory();
    cleanups.push(cleanup);
    const quota = new DailyQuota({ db, perDay: 3, timeZone: 'Asia/Shanghai', clock: new ManualClock() });
    expect([1, 2, 3, 4, 5].map(() => quota.tryReserve())).toEqual([true, true, true, false, false]);
    expect(quota.usage()).toMatchObject({ used: 3, limit: 3, remaining: 0 });
  });

  it('survives a restart and is shared by two connections to one inventory', () => {
    const { db, dbFile, cleanup } = tempInventory();
    cleanups.push(cleanup);
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 2));
    const a = new DailyQuota({ db, perDay: 5, timeZone: 'Asia/Shanghai', clock });
    const other = openInventory(dbFile);
    cleanups.push(() => other.close());
    const b = new DailyQuota({ db: other, perDay: 5, timeZone: 'Asia/Shanghai', clock });
    const granted = [a, b, a, b, a, b, a, b].map((q) => q.tryReserve()).filter(Boolean).length;
    expect(granted).toBe(5);
    db.close();
    const reopened = openInventory(dbFile);
    cleanups.push(() => reopened.close());
    expect(new DailyQuota({ db: reopened, perDay: 5, timeZone: 'Asia/Shanghai', clock }).usage().used).toBe(
      5,
    );
  });

  it('starts a fresh budget when the day turns in the configured zone', async () => {
    const { db, cleanup } = tempInventory();
    cleanups.push(cleanup);
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 15, 59));
    const quota = new DailyQuota({ db, perDay: 1, timeZone: 'Asia/Shanghai', clock });
    expect(quota.tryReserve()).toBe(true);
    expect(quota.tryReserve()).toBe(false);
    expect(quota.usage().resetsAt).toBe(Date.UTC(2026, 0, 1, 16));
    await clock.advance(60_000);
    expect(quota.usage()).toMatchObject({ day: '2026-01-02', used: 0 });
    expect(quota.tryReserve()).toBe(true);
  });
});
