import { escapeHtml } from './escape.js';
import { formatBytes, formatCount } from './format.js';

/** One bar of a horizontal bar chart; `attrs` lets a click on the bar filter the table. */
export interface Bar {
  label: string;
  value: number;
  /** What is printed at the end of the bar. */
  caption: string;
  href?: string | null;
  /** e.g. `data-filter-mime="3"`; numbers only, built by the caller, never from server text. */
  attrs?: string;
}

const WIDTH = 520;
const LABEL_WIDTH = 170;
const CAPTION_WIDTH = 130;
const ROW = 28;
const BAR = 18;
/** Label room in "narrow character" units: a CJK or other wide character takes two. */
const LABEL_UNITS = 22;

/**
 * A horizontal bar chart as inline SVG: labels on the left, bars scaled to the largest value,
 * the caption after each bar. Long labels are cut, with the full text in a tooltip.
 */
export function barChart(bars: readonly Bar[], options: { color: string; emptyText?: string }): string {
  if (bars.length === 0) return `<p class="empty">${escapeHtml(options.emptyText ?? 'Nothing to show.')}</p>`;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const span = WIDTH - LABEL_WIDTH - CAPTION_WIDTH;
  const height = bars.length * ROW;
  const rows = bars.map((b, i) => {
    const y = i * ROW;
    const w = b.value > 0 ? Math.max(2, (b.value / max) * span) : 0;
    const label = fitLabel(b.label, LABEL_UNITS);
    const text = `<text x="${LABEL_WIDTH - 10}" y="${y + ROW / 2}" class="bar-label">${escapeHtml(label)}</text>`;
    const labelEl = b.href
      ? `<a href="${escapeHtml(b.href)}" target="_blank" rel="noopener">${text}</a>`
      : text;
    return (
      `<g class="bar${b.attrs ? ' clickable' : ''}"${b.attrs ? ` ${b.attrs} tabindex="0" role="button"` : ''}>` +
      `<title>${escapeHtml(`${b.label}: ${b.caption}`)}</title>` +
      `<rect x="${LABEL_WIDTH}" y="${y + (ROW - BAR) / 2}" width="${span}" height="${BAR}" rx="3" class="bar-track"/>` +
      `<rect x="${LABEL_WIDTH}" y="${y + (ROW - BAR) / 2}" width="${w.toFixed(1)}" height="${BAR}" rx="3" fill="${options.color}"/>` +
      labelEl +
      `<text x="${LABEL_WIDTH + w + 8}" y="${y + ROW / 2}" class="bar-caption">${escapeHtml(b.caption)}</text>` +
      `</g>`
    );
  });
  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" preserveAspectRatio="xMinYMin meet">` +
    rows.join('') +
    `</svg>`
  );
}

export function filesCaption(files: number, bytes: number): string {
  return `${formatCount(files)} · ${formatBytes(bytes)}`;
}

export function bytesCaption(files: number, bytes: number): string {
  return `${formatBytes(bytes)} · ${formatCount(files)} file${files === 1 ? '' : 's'}`;
}

/** Cuts a label to about `units` narrow characters, so text-anchored at the bar never runs off the left. */
export function fitLabel(label: string, units: number): string {
  let used = 0;
  const chars = Array.from(label);
  for (let i = 0; i < chars.length; i++) {
    used += chars[i]!.codePointAt(0)! >= 0x2e80 ? 2 : 1;
    if (used > units) return `${chars.slice(0, Math.max(1, i - 1)).join('')}…`;
  }
  return label;
}
