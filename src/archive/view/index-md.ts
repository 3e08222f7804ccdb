import type { Db } from '../../inventory/open.js';
import { encodeLinkPath } from '../render/index.js';
import { codeSpan, escapeInline } from '../render/markdown-escape.js';
import { VIEW_DIR, type ViewPlan } from './plan.js';

interface DocRow {
  id: number;
  type: string;
  token: string;
  title: string | null;
  status: string;
  parent_id: number | null;
}

const SECTIONS: [string, string][] = [
  ['docx', 'Documents'],
  ['sheet', 'Spreadsheets'],
  ['bitable', 'Bases'],
];

/**
 * `view/index.md`: every document of the inventory whose content the archive can hold, linked to its
 * rendered file, or marked with why there is none yet, so the index is also a completeness check.
 */
export function renderIndex(db: Db, plan: ViewPlan, unreadable: readonly string[]): string {
  const rows = db
    .prepare(
      `SELECT id, type, token, title, status, parent_id FROM documents
        WHERE type IN ('docx', 'sheet', 'bitable', 'bitable_table') ORDER BY title, token`,
    )
    .all() as DocRow[];
  const link = (viewPath: string, label: string): string =>
    `[${escapeInline(label)}](${encodeLinkPath(viewPath.slice(VIEW_DIR.length + 1))})`;
  const name = (r: DocRow): string => r.title || r.token;
  const missing = (r: DocRow): string =>
    `${escapeInline(name(r))} ${codeSpan(r.token)}: not captured yet (${r.status})`;
  const lines = [
    '# Feishu backup',
    '',
    'Rendered from the document snapshots by `feishu-backup render`. Images and attachments link to',
    'the backed-up files; anything marked "not backed up" has no local copy yet.',
  ];
  for (const [type, heading] of SECTIONS) {
    const docs = rows.filter((r) => r.type === type);
    if (docs.length === 0) continue;
    lines.push('', `## ${heading} (${docs.length})`, '');
    for (const doc of docs) {
      if (type === 'docx') {
        const path = plan.byKey.get(`docx:${doc.token}`);
        lines.push(`- ${path ? link(path, name(doc)) : missing(doc)}${gone(doc)}`);
        continue;
      }
      lines.push(`- ${escapeInline(name(doc))} ${codeSpan(doc.token)}${gone(doc)}`);
      if (type === 'sheet') {
        const sheets = [...plan.byKey].filter(([k]) => k.startsWith(`sheet:${doc.token}_`));
        if (sheets.length === 0) lines.push(`  - not captured yet (${doc.status})`);
        for (const [, path] of sheets) lines.push(`  - ${link(path, sheetLabel(path))}`);
      } else {
        for (const table of rows.filter((r) => r.type === 'bitable_table' && r.parent_id === doc.id)) {
          const path = plan.byKey.get(`bitable:${table.token}`);
          lines.push(`  - ${path ? link(path, name(table)) : missing(table)}${gone(table)}`);
        }
      }
    }
  }
  driveFiles(db, lines);
  if (unreadable.length > 0) {
    lines.push('', '## Snapshots that could not be read', '');
    for (const p of unreadable) lines.push(`- ${codeSpan(p)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Files stored in the drive itself belong to no document, so the index lists them (whiteboards are
 * linked from the documents that hold them). `view/index.md` sits one level below outputDir.
 */
function driveFiles(db: Db, lines: string[]): void {
  const files = db
    .prepare(
      `SELECT file_token, name, status, path FROM media WHERE source = 'drive_file'
        ORDER BY name, file_token`,
    )
    .all() as { file_token: string; name: string | null; status: string; path: string | null }[];
  if (files.length === 0) return;
  lines.push('', `## Drive files (${files.length})`, '');
  for (const f of files) {
    const label = escapeInline(f.name || f.file_token);
    lines.push(
      f.status === 'done' && f.path
        ? `- [${label}](${encodeLinkPath(`../${f.path}`)})`
        : `- ${label} ${codeSpan(f.file_token)}: not backed up (${f.status})`,
    );
  }
}

function gone(r: DocRow): string {
  return r.status === 'gone' ? ' (no longer in Feishu; kept from an earlier backup)' : '';
}

function sheetLabel(path: string): string {
  return (path.split('/').at(-1) ?? path).replace(/\.csv$/, '');
}
