import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { REPORT_JS } from './client.js';
import { escapeHtml as e, jsonForScript } from './escape.js';
import { formatCount, formatTime } from './format.js';
import { notBackedUpSection } from './not-backed-up.js';
import { firstScreen, shaBlob, type TablePayload, tablePayload } from './payload.js';
import { aboutSection, chartsGrid, failuresSection, rootLink, summaryBand } from './sections.js';
import { REPORT_CSS } from './styles.js';
import { targetSection } from './target.js';
import { MEDIA_STATES, type ReportData, STATE_LABELS } from './types.js';

export type { TablePayload } from './payload.js';

/**
 * The whole report as one self-contained HTML page: inline CSS, SVG and script, no request to
 * anywhere. The Content-Security-Policy forbids network access outright and lets only our own
 * script (by hash) run, so even a name that slipped past escaping could not execute.
 */
export interface RenderOptions {
  /**
   * Table data larger than this many bytes of JSON is embedded gzipped and base64-encoded: the
   * browser's HTML parser then reads a fifth of the bytes, which is most of the time a
   * 100,000-row report takes to open. Smaller reports keep plain, readable JSON.
   * @default 1048576
   */
  compressAbove?: number;
  /**
   * Rows embedded ahead of the script, drawn before the browser has parsed the rest of the data.
   * @default 64
   */
  firstScreenRows?: number;
}

export function renderReportHtml(d: ReportData, options: RenderOptions = {}): string {
  const scriptHash = createHash('sha256').update(REPORT_JS).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${scriptHash}'`;
  const title = `Media audit — ${d.tenant.domain}`;
  const lastRun = d.runs[0];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="feishu-backup">
<title>${e(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="top"><div class="wrap">
<div><h1>Media audit</h1><div class="sub">Every image and attachment found in the Feishu documents of ${tenantLink(d)}</div>
<div class="roots">Roots: ${d.roots.length ? d.roots.map(rootLink).join(' · ') : 'none configured'}</div></div>
<div class="meta">Report written ${e(formatTime(d.generatedAt))}<br>${
    lastRun
      ? `Last run: ${e(lastRun.command)} #${lastRun.id}, ${e(formatTime(lastRun.startedAt))}, ${e(lastRun.status)}`
      : 'No run recorded'
  }</div>
</div></header>
<main class="wrap">
${summaryBand(d)}
${chartsGrid(d)}
${failuresSection(d)}
${notBackedUpSection(d.notBackedUp)}
${targetSection(d.target)}
${filesSection(d)}
${aboutSection(d)}
</main>
<footer>Written by feishu-backup. This file makes no network request; links to backed-up files are relative to it.</footer>
<script type="application/json" id="report-first">${jsonForScript(firstScreen(d, options.firstScreenRows))}</script>
<script>${REPORT_JS}</script>
${dataElements(tablePayload(d.media, d.documents, d.mimeTypes), shaBlob(d.media), options.compressAbove ?? 2 ** 20)}
</body>
</html>
`;
}

/** The tenant by its own domain, linked to where people open it when a listing gave it. */
function tenantLink(d: ReportData): string {
  const domain = `<b id="header-tenant">${e(d.tenant.domain)}</b>`;
  return d.tenant.origin
    ? `<a href="${e(d.tenant.origin)}" target="_blank" rel="noopener noreferrer">${domain}</a>`
    : domain;
}

/** Characters per data element: Chromium parses many small script elements far faster than one big one. */
const CHUNK = 65536;

/**
 * The table data, split over as many script elements as it takes, read back in order and joined.
 * Plain: JSON escaped for a script element. Compressed: base64, whose alphabet has no `<`, `>` or
 * `&` at all. Either way no name can end an element early, wherever a split falls.
 */
function dataElements(payload: TablePayload, shas: string, compressAbove: number): string {
  const json = jsonForScript(payload);
  const compressed = json.length > compressAbove;
  const text = compressed ? gzipSync(json, { level: 6 }).toString('base64') : json;
  const open = `<script type="application/json" class="report-data"${compressed ? ' data-encoding="gzip-base64"' : ''}>`;
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK) parts.push(`${open}${text.slice(i, i + CHUNK)}</script>`);
  // base64 again: nothing here can close the element either.
  for (let i = 0; i < shas.length; i += CHUNK) {
    parts.push(`<script type="text/plain" class="report-sha">${shas.slice(i, i + CHUNK)}</script>`);
  }
  return parts.join('\n');
}

function filesSection(d: ReportData): string {
  const stateOptions = MEDIA_STATES.map(
    (s, i) => `<option value="${i}">${STATE_LABELS[s]} (${formatCount(d.byState[s].files)})</option>`,
  ).join('');
  const mimeCounts = new Array<number>(d.mimeTypes.length).fill(0);
  for (const m of d.media) mimeCounts[m.mimeIndex]!++;
  const mimeOptions = d.mimeTypes
    .map((label, i) => ({ label, i, count: mimeCounts[i]! }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
    .map((m) => `<option value="${m.i}">${e(m.label)} (${formatCount(m.count)})</option>`)
    .join('');
  const head = [
    ['name', 'Name'],
    ['mime', 'Type'],
    ['size', 'Size'],
    ['sha', 'SHA-256'],
    ['state', 'State'],
    ['where', 'Appears in'],
    ['local', 'Local file'],
  ]
    .map(
      ([key, label]) =>
        `<div role="columnheader" data-sort="${key}" aria-sort="${key === 'size' ? 'descending' : 'none'}"><button type="button">${label}</button></div>`,
    )
    .join('');
  return `<section class="card" id="files"><h2>Every media file</h2>
<div class="toolbar">
<input id="search" type="search" placeholder="Search names, SHA-256, documents, paths…" aria-label="Search files" autocomplete="off">
<select id="filter-state" aria-label="Filter by state"><option value="">All states</option>${stateOptions}</select>
<select id="filter-mime" aria-label="Filter by type"><option value="">All types</option>${mimeOptions}</select>
<span class="count" id="row-count" data-count="${d.media.length}">All ${formatCount(d.media.length)} file${d.media.length === 1 ? '' : 's'}</span>
</div>
<div class="table" role="table" aria-label="Media files" aria-rowcount="${d.media.length + 1}">
<div class="thead" role="row">${head}</div>
<div class="viewport" id="rows-viewport"><div class="spacer" id="rows-spacer"><div class="rows" id="rows-body" role="rowgroup"></div></div></div>
<div class="no-rows" id="no-rows" hidden>No file matches these filters.</div>
</div>
<noscript><p class="empty">The file table needs JavaScript; everything above is complete without it.</p></noscript>
</section>`;
}
