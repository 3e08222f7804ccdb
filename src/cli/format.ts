/** Small, dependency-free formatters and parsers for what operators type and read. */

export { counted, formatBytes, formatCount } from '../units.js';

/** 3725 s -> "1h2m"; 75 s -> "1m15s"; 9 s -> "9s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}

const SIZE_FACTORS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * "500M", "1.5GB", "2 GiB", "1048576" -> bytes. Powers of 1024 throughout, like rclone's SizeSuffix:
 * a budget is about disk and transfer, where nobody means 1000.
 */
export function parseSize(input: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(input);
  const factor = m ? SIZE_FACTORS[m[2]!.toLowerCase()] : undefined;
  if (!m || factor === undefined) {
    throw new TypeError(`Expected a size such as 500M, 2GB or 1048576, got ${JSON.stringify(input)}`);
  }
  return Math.floor(Number(m[1]) * factor);
}

const DURATION_FACTORS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "2h", "90m", "1h30m", "45s", "1d" -> ms. A bare number is seconds. */
export function parseDuration(input: string): number {
  const text = input.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * DURATION_FACTORS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (!text || consumed !== text.length) {
    throw new TypeError(`Expected a duration such as 2h, 90m, 1h30m or 45s, got ${JSON.stringify(input)}`);
  }
  return Math.round(total);
}

/** Terminal columns a string takes: CJK and emoji are two columns wide. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/**
 * Wraps at word boundaries to `width` columns, continuation lines indented by `indent`. A live
 * display needs this: a line the terminal wraps by itself throws off the redraw's cursor count.
 */
export function wrapText(text: string, width: number, indent = ''): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const lead = /^ */.exec(para)![0];
    let line = lead;
    for (const word of para.slice(lead.length).split(' ')) {
      const candidate = line === lead ? `${line}${word}` : `${line} ${word}`;
      if (displayWidth(candidate) <= width || line === lead) {
        line = candidate;
        continue;
      }
      out.push(line);
      line = `${indent}${word}`;
    }
    // A single word wider than the line (a long path or URL) is cut hard.
    while (displayWidth(line) > width) {
      let cut = 0;
      let w = 0;
      for (const ch of line) {
        w += displayWidth(ch);
        if (w > width) break;
        cut += ch.length;
      }
      out.push(line.slice(0, cut));
      line = `${indent}${line.slice(cut)}`;
    }
    out.push(line);
  }
  return out.join('\n');
}
