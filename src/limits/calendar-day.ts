/**
 * Calendar days in an IANA time zone, for daily quotas. Feishu does not document when its daily
 * download cap resets; it is a Chinese service, so the default day is Asia/Shanghai's.
 */
export const DEFAULT_DAY_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new RangeError(
        `Expected \`timeZone\` to be an IANA time zone such as "Asia/Shanghai", got "${timeZone}"`,
      );
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError naming the option when `timeZone` is not a zone this Node knows. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

/** `YYYY-MM-DD` of the instant `epochMs` in `timeZone`. */
export function dayKey(epochMs: number, timeZone: string): string {
  const parts = formatter(timeZone).formatToParts(new Date(epochMs));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The first instant (epoch ms) after `epochMs` that falls on a later day in `timeZone`. Found by
 * bisection rather than offset arithmetic, so DST changes and odd offsets (+05:45) need no cases.
 */
export function nextDayStart(epochMs: number, timeZone: string): number {
  const today = dayKey(epochMs, timeZone);
  let lo = epochMs;
  // No day is longer than 26 hours, whatever the zone does.
  let hi = epochMs + 26 * 3_600_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dayKey(mid, timeZone) === today) lo = mid;
    else hi = mid;
  }
  return hi;
}
