import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentMeta, LinkResolver, RawBlock } from '../../src/archive/render/index.js';
import { renderDocxMarkdown } from '../../src/archive/render/index.js';
import { markdownLinks } from './link-check.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(path.join(here, 'fixtures/every-block.json'), 'utf8')) as {
  document: DocumentMeta;
  blocks: RawBlock[];
};

// Backed-up files with names that break naive links: spaces, parentheses, `#`, `%`, Chinese.
const MEDIA: Record<string, string> = {
  boxImageBackedUp: 'media/图片 (1).png',
  boxInlineFile: 'media/notes #2 100%.txt',
  boxFileReport: 'media/Q3 report (final).pdf',
};
const EXPORTS: Record<string, string> = {
  'sheet:shtcnEmbedded_s1': 'exports/sheet [s1].csv',
  'bitable:bascnApp_tblMain': 'exports/bitable main.csv',
  'board:wbBoardOne': 'exports/board.png',
};

const root = mkdtempSync(path.join(tmpdir(), 'archive-view-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('links in the browsable view', () => {
  for (const relative of [...Object.values(MEDIA), ...Object.values(EXPORTS)]) {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), 'x');
  }
  const docDir = path.join(root, 'docs');
  mkdirSync(docDir);
  const fromDoc = (relative: string): string => path.posix.relative('docs', relative);
  const links: LinkResolver = {
    media: (token) => (MEDIA[token] ? fromDoc(MEDIA[token]) : undefined),
    document: (type, token) =>
      EXPORTS[`${type}:${token}`] ? fromDoc(EXPORTS[`${type}:${token}`]!) : undefined,
  };
  const markdown = renderDocxMarkdown(fixture.document, fixture.blocks, links);

  it('resolve to files that exist, whatever their names', () => {
    const local = markdownLinks(markdown).filter((href) => !/^[a-z]+:/i.test(href));
    // Two links to the same image (page and table cell), one to each other file.
    expect(local).toHaveLength(Object.keys(MEDIA).length + Object.keys(EXPORTS).length + 1);
    for (const href of local) {
      const file = path.resolve(docDir, decodeURIComponent(href));
      expect(existsSync(file), `${href} -> ${file}`).toBe(true);
    }
  });

  it('point outside the archive only at http(s) addresses', () => {
    const external = markdownLinks(markdown).filter((href) => /^[a-z]+:/i.test(href));
    expect(external.length).toBeGreaterThan(0);
    for (const href of external) expect(href).toMatch(/^https?:\/\//);
  });
});
