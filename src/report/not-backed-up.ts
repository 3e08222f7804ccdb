import { readSizeDifferences, type SizeDifferences } from '../inventory/listed-size.js';
import type { Db } from '../inventory/open.js';
import { readUnbackable, type UnbackableReport } from '../inventory/unbackable.js';
import { escapeHtml as e } from './escape.js';
import { formatCount } from './format.js';

/** What the report says about media nothing could download, and files kept at another size. */
export interface NotBackedUp {
  unbackable: UnbackableReport;
  sizeDiffers: SizeDifferences;
}

export function collectNotBackedUp(db: Db): NotBackedUp {
  return { unbackable: readUnbackable(db), sizeDiffers: readSizeDifferences(db) };
}

/**
 * One card, only when there is something to say: "N cell images came without a file token: not
 * backed up", with the documents holding them; then the files whose size differs from the listing.
 */
export function notBackedUpSection(n: NotBackedUp | undefined): string {
  if (!n || (n.unbackable.total === 0 && n.sizeDiffers.count === 0)) return '';
  const groups = n.unbackable.groups.map(
    (g) =>
      `<div class="failure"><div class="head"><span>${e(g.text)}</span></div>` +
      `<ul>${g.documents
        .map(
          (d) =>
            `<li>${e(d.type)} ${e(d.title ?? d.token)} <code>${e(d.token)}</code> at <code>${e(d.location)}</code>` +
            ` <b>×${formatCount(d.count)}</b></li>`,
        )
        .join('')}</ul></div>`,
  );
  const sizes = n.sizeDiffers.count
    ? `<div class="failure"><div class="head"><span>${formatCount(n.sizeDiffers.count)} ${n.sizeDiffers.count === 1 ? "file's" : "files'"} size differs from the listing: the server's bytes are kept</span></div>` +
      `<ul>${n.sizeDiffers.files
        .map(
          (f) =>
            `<li><code>${e(f.fileToken)}</code> ${e(f.name ?? '')}: listed ${formatCount(f.listedSize)} bytes, got ${formatCount(f.bytes)}</li>`,
        )
        .join('')}</ul></div>`
    : '';
  return (
    `<section class="card" id="not-backed-up"><h2>Not backed up, and sizes that differ</h2>` +
    `<h3>Media-shaped objects with no token or of an unknown type cannot be downloaded; the README's ` +
    `"Not backed up" section says what to send us.</h3>` +
    `<div class="failures">${[...groups, sizes].join('')}</div></section>`
  );
}
