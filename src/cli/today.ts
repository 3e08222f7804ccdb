import { dayKey } from '../limits/calendar-day.js';

/** Today's quota day (YYYY-MM-DD) in an IANA zone: the same key the downloader counts against. */
export function todayIn(timeZone: string, now = Date.now()): string {
  return dayKey(now, timeZone);
}
