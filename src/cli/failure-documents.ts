import type { FailingDocument } from '../inventory/failing-documents.js';
import type { FailureReason } from '../inventory/status.js';
import { formatCount, wrapText } from './format.js';

/**
 * The documents one failure reason is about, a line each (title, kind, files, root) with its URL on
 * a line of its own so a terminal keeps it clickable; then how many more there are. Shared by the
 * run summary and `status`, so both name documents the same way.
 */
export function failingDocumentLines(f: FailureReason, indent: string): string[] {
  const docs = f.documents ?? [];
  const out: string[] = [];
  for (const d of docs) {
    out.push(wrapText(`${indent}${documentLine(d)}`, 79, `${indent}  `));
    if (d.url) out.push(`${indent}  ${d.url}`);
  }
  const more = (f.documentCount ?? docs.length) - docs.length;
  if (more > 0)
    out.push(`${indent}and ${formatCount(more)} more documents (feishu-backup export lists every file)`);
  return out;
}

function documentLine(d: FailingDocument): string {
  const files = d.files > 0 ? `, ${formatCount(d.files)} ${d.files === 1 ? 'file' : 'files'}` : '';
  const root = d.root ? `, from root "${d.root.title}"` : '';
  return `in "${d.title}" (${d.kind}${files})${root}`;
}
