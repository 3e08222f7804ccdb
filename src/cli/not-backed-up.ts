import type { SizeDifferences } from '../inventory/listed-size.js';
import type { UnbackableReport } from '../inventory/unbackable.js';
import { counted, formatCount, wrapText } from './format.js';

/** Where the README says what these counts mean and what to send us. */
const README_HINT =
  'see "Not backed up" in the README: run once with --record-shapes DIR and send us DIR/feishu-shapes.json';

/** Server-provided text (titles, types, ids) shown on a terminal: control characters become `?`. */
function printable(text: string): string {
  return [...text].map((ch) => (/\p{Cc}/u.test(ch) ? '?' : ch)).join('');
}

/**
 * The lines of the summary and `status` about media-shaped objects nothing can download, by kind and
 * type, with the documents holding them. `label` heads the first line (the summary's column).
 */
export function unbackableLines(u: UnbackableReport | undefined, label: (text: string) => string): string[] {
  if (!u?.total) return [];
  const out = [label(`${counted(u.total, 'media-shaped object')} could not be backed up (runs exit 3)`)];
  for (const g of u.groups) {
    const what = printable(g.text.replace(/^\d+ /, ''));
    out.push(wrapText(`    ${formatCount(g.count).padStart(6)}  ${what}`, 79, '            '));
    const where = g.documents
      .map((d) => printable(`${d.type} ${d.title ? `${d.title} (${d.token})` : d.token} at ${d.location}`))
      .join('; ');
    if (where) out.push(wrapText(`            in: ${where}`, 79, '                '));
  }
  out.push(wrapText(`            ${README_HINT}`, 79, '            '));
  return out;
}

/** The lines about files kept with the server's bytes although the listing named another size. */
export function sizeDifferenceLines(
  s: SizeDifferences | undefined,
  label: (text: string) => string,
): string[] {
  if (!s?.count) return [];
  const out = [
    wrapText(
      label(
        `${counted(s.count, "file's", "files'")} size differs from the listing (the server's bytes are kept)`,
      ),
      79,
      '            ',
    ),
  ];
  for (const f of s.files) {
    out.push(
      `            ${f.fileToken}${f.name ? ` ${printable(f.name)}` : ''}: listed ${formatCount(f.listedSize)} bytes, got ${formatCount(f.bytes)}`,
    );
  }
  return out;
}
