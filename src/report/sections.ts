import type { FailingDocument } from '../inventory/failing-documents.js';
import { barChart, bytesCaption, filesCaption } from './charts.js';
import { escapeHtml as e } from './escape.js';
import { formatBytes, formatCount, formatTime, percent } from './format.js';
import {
  type DocumentFailureGroup,
  type FailureGroup,
  MEDIA_STATES,
  type ReportData,
  type RootSummary,
  STATE_LABELS,
} from './types.js';

/** CSS class per state, in MEDIA_STATES order (the table's pills use s0..s3 in the same order). */
const STATE_CLASS = ['ok', 'pending', 'failed', 'gone'] as const;

export function summaryBand(d: ReportData): string {
  const total = d.totals.files;
  const cards = [
    `<div class="stat total"><div class="k">Media files</div><div class="n" id="total-files">${formatCount(total)}</div>` +
      `<div class="d" id="total-bytes">${formatBytes(d.totals.bytes)}</div></div>`,
    ...MEDIA_STATES.map((s, i) => {
      const t = d.byState[s];
      return (
        `<div class="stat ${STATE_CLASS[i]}"><div class="k">${STATE_LABELS[s]}</div>` +
        `<div class="n" id="state-${s}">${formatCount(t.files)}</div>` +
        `<div class="d">${formatBytes(t.bytes)} · ${percent(t.files, total)}</div></div>`
      );
    }),
    `<div class="stat"><div class="k">Documents</div><div class="n" id="total-documents">${formatCount(d.documentCount)}</div>` +
      `<div class="d">docs, sheets, bases; not folders or tables</div></div>`,
  ];
  const segments = MEDIA_STATES.map((s, i) => {
    const files = d.byState[s].files;
    if (files === 0) return '';
    const label = `${STATE_LABELS[s]}: ${formatCount(files)} file${files === 1 ? '' : 's'} (${percent(files, total)})`;
    return `<span class="c-${STATE_CLASS[i]}" style="width:${((100 * files) / total).toFixed(3)}%" data-filter-state="${i}" title="${e(label)}"></span>`;
  }).join('');
  const legend = MEDIA_STATES.map(
    (s, i) =>
      `<span><i class="dot c-${STATE_CLASS[i]}"></i>${STATE_LABELS[s]} ${percent(d.byState[s].files, total)}</span>`,
  ).join('');
  // Documents first, then what they sit in and are made of, each in people's words.
  const chip = (t: ReportData['documentsByType'][number]): string =>
    `<span class="chip${t.document === false ? ' other' : ''}"><b>${formatCount(t.count)}</b> ${e(t.label ?? t.type)}` +
    `${t.failed ? ` · ${formatCount(t.failed)} unreadable` : ''}${t.gone ? ` · ${formatCount(t.gone)} gone` : ''}</span>`;
  const types = d.documentsByType.map(chip).join('');
  return (
    `<div class="band">${cards.join('')}</div>` +
    `<section class="card"><h2>Where the backup stands</h2>` +
    `<div class="statebar" role="img" aria-label="Media files by state">${segments}</div>` +
    `<div class="legend">${legend}</div><div class="doctypes">${types}</div></section>`
  );
}

export function chartsGrid(d: ReportData): string {
  const byMime = barChart(
    d.charts.byMime.map((b) => ({
      label: b.label,
      value: b.files,
      caption: filesCaption(b.files, b.bytes),
      ...(b.mimeIndex !== undefined ? { attrs: `data-filter-mime="${b.mimeIndex}"` } : {}),
    })),
    { color: '#3b5bdb', emptyText: 'No media files yet.' },
  );
  const bySize = barChart(
    d.charts.bySize.map((b) => ({ label: b.label, value: b.files, caption: filesCaption(b.files, b.bytes) })),
    { color: '#7048e8', emptyText: 'No media files yet.' },
  );
  const byDocType = barChart(
    d.charts.byDocumentType.map((b) => ({
      label: b.label,
      value: b.files,
      caption: filesCaption(b.files, b.bytes),
    })),
    { color: '#0c8599', emptyText: 'No document references a media file.' },
  );
  const largest = barChart(
    d.charts.largestDocuments.map((doc) => ({
      label: doc.title,
      value: doc.bytes,
      caption: bytesCaption(doc.files, doc.bytes),
      href: doc.url,
    })),
    { color: '#e8590c', emptyText: 'No document references a media file.' },
  );
  const card = (title: string, note: string, body: string): string =>
    `<section class="card"><h2>${title}</h2><h3>${note}</h3>${body}</section>`;
  return (
    `<div class="grid2">` +
    card('Media by type', 'Files per MIME type; click a bar to list them', byMime) +
    card('Media by size', 'Files per size bucket', bySize) +
    card('Media by document type', 'Files referenced from each kind of document', byDocType) +
    card('Largest documents', 'By bytes of media they reference', largest) +
    `</div>`
  );
}

/**
 * One card per failure reason: the fix, then the documents it is about (one line each, linked, with
 * their root), then the server's raw messages folded away. Cards are built by small functions and
 * joined, so another kind of card can be added beside them.
 */
export function failuresSection(d: ReportData): string {
  const cards = [...d.failures.map(mediaFailureCard), ...d.documentFailures.map(documentFailureCard)];
  const body =
    cards.length === 0
      ? `<p class="ok-note">No failures: every file found is backed up or on its way.</p>`
      : `<div class="failures">${cards.join('')}</div>`;
  return `<section class="card" id="failures"><h2>Failures, by reason</h2>${body}</section>`;
}

export function mediaFailureCard(g: FailureGroup): string {
  return (
    `<div class="failure" data-kind="${e(g.kind)}"><div class="head"><span>${e(g.kind)}</span>` +
    `<span>${formatCount(g.files)} file${g.files === 1 ? '' : 's'} · ${formatBytes(g.bytes)}</span></div>` +
    (g.fixes.length
      ? g.fixes.map((f) => `<div class="fix"><b>Fix:</b> ${e(f)}</div>`).join('')
      : `<div class="fix">No fix recorded; the messages below say what the server answered.</div>`) +
    documentList(g.documents, g.documentCount) +
    `<details class="raw"><summary>Server messages</summary><ul>${g.messages
      .map((m) => `<li>${e(m.message)} <b>×${formatCount(m.count)}</b></li>`)
      .join(
        '',
      )}</ul><div class="ex">For example: ${g.examples.map((x) => e(x)).join(', ')}</div></details></div>`
  );
}

export function documentFailureCard(g: DocumentFailureGroup): string {
  return (
    `<div class="failure" data-kind="${e(g.kind)}"><div class="head"><span>Unreadable documents: ${e(g.kind)}</span>` +
    `<span>${formatCount(g.documents)} document${g.documents === 1 ? '' : 's'}</span></div>` +
    g.fixes.map((f) => `<div class="fix"><b>Fix:</b> ${e(f)}</div>`).join('') +
    (g.named
      ? documentList(g.named, g.documents)
      : `<div class="ex">For example: ${g.examples.map((x) => e(x)).join(', ')}</div>`) +
    `<div class="ex">Media inside these documents is not counted above.</div></div>`
  );
}

/** The documents a failure is about: title (linked), kind, files, root; then how many more. */
function documentList(docs: readonly FailingDocument[] | undefined, total: number | undefined): string {
  if (!docs?.length) return '';
  const link = (title: string, url: string | null): string =>
    url ? `<a href="${e(url)}" target="_blank" rel="noopener noreferrer">${e(title)}</a>` : e(title);
  const items = docs.map(
    (doc) =>
      `<li>${link(doc.title, doc.url)} <span class="kind">${e(doc.kind)}${doc.files ? ` · ${formatCount(doc.files)} file${doc.files === 1 ? '' : 's'}` : ''}</span>` +
      (doc.root ? ` <span class="root">in ${link(doc.root.title, doc.root.url)}</span>` : '') +
      `</li>`,
  );
  const more = (total ?? docs.length) - docs.length;
  return `<ul class="docs">${items.join('')}${more > 0 ? `<li class="more">and ${formatCount(more)} more documents</li>` : ''}</ul>`;
}

export function aboutSection(d: ReportData): string {
  const roots = d.roots.length
    ? `<ul>${d.roots
        .map(
          (r) =>
            `<li>${rootLink(r)} <code>${e(r.spec)}</code> — ${r.crawled ? `${formatCount(r.documents)} document${r.documents === 1 ? '' : 's'}` : 'not crawled yet'}</li>`,
        )
        .join('')}</ul>`
    : '—';
  const runs = d.runs.length
    ? `<table class="runs"><thead><tr><th>Run</th><th>Command</th><th>Started</th><th>Ended</th><th>Outcome</th></tr></thead><tbody>${d.runs
        .map(
          (r) =>
            `<tr><td>#${r.id}</td><td>${e(r.command)}</td><td>${e(formatTime(r.startedAt))}</td>` +
            `<td>${e(formatTime(r.endedAt))}</td><td>${e(r.status)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="empty">No run recorded.</p>';
  return (
    `<section class="card about" id="about"><h2>About this backup</h2><dl>` +
    `<dt>Tenant</dt><dd id="tenant-domain">${e(d.tenant.domain)}</dd>` +
    `<dt>Open API</dt><dd>${e(d.tenant.baseUrl)}</dd>` +
    `<dt>Roots</dt><dd>${roots}</dd>` +
    `<dt>Report written</dt><dd>${e(formatTime(d.generatedAt))}</dd>` +
    `</dl>${runs}</section>`
  );
}

/** A root by its title, linked where it opens in Feishu. */
export function rootLink(r: RootSummary): string {
  const title = e(r.title ?? r.spec);
  return r.url
    ? `<a href="${e(r.url)}" target="_blank" rel="noopener noreferrer">${title}</a>`
    : `<b>${title}</b>`;
}
