import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderView } from '../../src/archive/view/render-view.js';
import { smallTenant } from '../crawl/fixtures.js';
import { allWikiRoots, harness, rootFolder } from '../crawl/harness.js';
import { addRealSampleDocs, type FakeFeishu, generateTenant, startFakeFeishu } from '../fake-feishu/index.js';
import { backup } from './helpers.js';
import { checkViewLinks, markdownLinks } from './link-check.js';
import { parseCsv } from './rfc4180.js';

let fake: FakeFeishu | undefined;

describe('the browsable view', () => {
  it('links every image, attachment and embedded document to a file that exists after a full backup', async () => {
    const tenant = generateTenant({ seed: 3, folders: 2, docxPerFolder: 3, recordsPerTable: 20 });
    addRealSampleDocs(tenant);
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [rootFolder(fake), ...allWikiRoots(fake)]);
    await backup(h);
    const summary = renderView(h.db, h.config.outputDir);
    expect(summary.unreadable).toEqual([]);
    expect(summary.links.resolved).toBeGreaterThan(20);

    const checked = checkViewLinks(h.config.outputDir);
    expect(checked.some((l) => l.includes('media/'))).toBe(true);
    expect(checked.some((l) => l.endsWith('.csv'))).toBe(true);
  });

  it('lays the view out as the root is: a docx as <title>.md, what it embeds beside it, sheets and bases as folders of CSVs', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    await backup(h);
    renderView(h.db, h.config.outputDir);
    const view = path.join(h.config.outputDir, 'view');
    // The root folder is in no listing: its folder meta names it (src/crawl/roots.ts).
    const root = path.join(view, t.folder.name);
    const doc = readFileSync(path.join(root, 'Doc.md'), 'utf8');
    expect(doc).toContain('# ');
    expect(doc).toMatch(/Embedded sheet: \[/);
    // Reached only through the docx embed: sheets/query gives no spreadsheet title, the token names it.
    const sheet = readFileSync(path.join(root, 'Doc', t.ss.token, `${t.ss.sheets[0]!.title}.csv`), 'utf8');
    expect(parseCsv(sheet.replace(/^\uFEFF/, ''))[0]![0]).toBe('title');
    // A base reached only through the embed is named by its app info (read for its permissions).
    const tables = readdirSync(path.join(root, 'Doc', t.app.name));
    expect(tables).toEqual([`${t.table.name}.csv`]);
    const index = readFileSync(path.join(view, 'index.md'), 'utf8');
    for (const href of markdownLinks(index)) {
      expect(existsSync(path.resolve(view, decodeURIComponent(href))), href).toBe(true);
    }
    expect(markdownLinks(index)).toHaveLength(3);
    // The shortcut back to the root folder (a cycle) adds nothing.
    expect(readdirSync(view, { recursive: true }).map(String).sort()).toEqual([
      `${t.folder.name}`,
      `${t.folder.name}/Doc`,
      `${t.folder.name}/Doc.md`,
      `${t.folder.name}/Doc/${t.app.name}`,
      `${t.folder.name}/Doc/${t.app.name}/${t.table.name}.csv`,
      `${t.folder.name}/Doc/${t.ss.token}`,
      `${t.folder.name}/Doc/${t.ss.token}/${t.ss.sheets[0]!.title}.csv`,
      'index.md',
    ]);
  });

  it('shows media that is not downloaded yet as a visible marker, not a broken link', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    await h.run();
    const summary = renderView(h.db, h.config.outputDir);
    expect(summary.links.missing).toBeGreaterThan(0);
    const doc = readFileSync(path.join(h.config.outputDir, 'view', t.folder.name, 'Doc.md'), 'utf8');
    expect(doc).toContain(`[image not backed up: \`${t.tokens.image}\`]`);
    expect(markdownLinks(doc).filter((l) => l.includes('media/'))).toEqual([]);
  });
});
