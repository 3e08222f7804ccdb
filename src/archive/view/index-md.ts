import type { Db } from '../../inventory/open.js';
import { encodeLinkPath } from '../render/index.js';
import { codeSpan, escapeInline } from '../render/markdown-escape.js';
import { VIEW_DIR, type ViewEntry, type ViewPlan } from './plan.js';

/**
 * `view/index.md`: the tree of the view, as the roots are: each root, its folders and wiki pages,
 * each document linked to its rendered file (and each drive file to its stored copy), or marked with
 * why there is none yet, so the index is also a completeness check.
 */
export function renderIndex(_db: Db, plan: ViewPlan, unreadable: readonly string[]): string {
  const lines = [
    '# Feishu backup',
    '',
    'Rendered from the document snapshots by `feishu-backup render`, laid out as the folders and wiki',
    'pages are in Feishu. Images and attachments link to the backed-up files; anything marked "not',
    'backed up" has no local copy yet.',
    '',
  ];
  const walk = (entries: readonly ViewEntry[], depth: number): void => {
    for (const e of entries) {
      lines.push(`${'  '.repeat(depth)}- ${line(e)}`);
      walk(e.children, depth + 1);
    }
  };
  walk(plan.tree, 0);
  if (plan.tree.length === 0) lines.push('Nothing backed up yet: run `feishu-backup backup`.');
  if (unreadable.length > 0) {
    lines.push('', '## Snapshots that could not be read', '');
    for (const p of unreadable) lines.push(`- ${codeSpan(p)}`);
  }
  return `${lines.join('\n')}\n`;
}

function line(e: ViewEntry): string {
  const target = e.path ?? e.stored;
  // index.md sits in view/: rendered files are below it, stored files one level up.
  const href = target?.startsWith(`${VIEW_DIR}/`)
    ? target.slice(VIEW_DIR.length + 1)
    : target && `../${target}`;
  const label = href ? `[${escapeInline(e.label)}](${encodeLinkPath(href)})` : `**${escapeInline(e.label)}**`;
  return `${label} (${e.kind})${e.note ? `: ${escapeInline(e.note)}` : ''}`;
}
