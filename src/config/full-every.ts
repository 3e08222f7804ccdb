const FACTORS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * `crawl.fullEvery` -> ms, or null for `off`: `7d`, `36h`, `1d12h`, `90m`, a bare number of seconds.
 * A problem is pushed with its fix, so the config reports every problem at once.
 */
export function parseFullEvery(input: string | number, problems: string[]): number | null {
  if (typeof input === 'number') return Math.round(input * 1000);
  const text = input.trim().toLowerCase();
  if (text === 'off' || text === 'never') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const re = /(\d+(?:\.\d+)?)(s|m|h|d|w)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * FACTORS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (!text || consumed !== text.length) {
    problems.push(
      `crawl.fullEvery: expected a duration such as "7d", "36h" or "off", got ${JSON.stringify(input)}. Fix: write e.g. "fullEvery": "7d".`,
    );
    return null;
  }
  return Math.round(total);
}
