import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderView } from '../../src/archive/view/render-view.js';
import { allWikiRoots, harness, rootFolder } from '../crawl/harness.js';
import { addDocx, addFolder, block, demoTenant, emptyTenant, startFakeFeishu } from '../fake-feishu/index.js';
import { expectGolden } from './golden.js';
import { backup } from './helpers.js';
import { checkViewLinks } from './link-check.js';

/** A `tree`-style listing of a folder (names sorted by code point, as `LC_ALL=C tree` prints them). */
function treeListing(dir: string): string {
  const lines = [path.basename(dir)];
  let folders = 0;
  let files = 0;
  const walk = (at: string, prefix: string): void => {
    const names = readdirSync(at).sort();
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${name}`);
      const full = path.join(at, name);
      if (statSync(full).isDirectory()) {
        folders++;
        walk(full, `${prefix}${last ? '    ' : '│   '}`);
      } else files++;
    });
  };
  walk(dir, '');
  lines.push('', `${folders} directories, ${files} files`);
  return `${lines.join('\n')}\n`;
}

describe('the view is the tree people know', () => {
  it('lays out the demo tenant as its folders and wiki pages are (golden files)', async () => {
    const fake = await startFakeFeishu({ tenant: demoTenant() });
    const h = harness(fake, [rootFolder(fake), ...allWikiRoots(fake)]);
    await backup(h);
    renderView(h.db, h.config.outputDir);
    const view = path.join(h.config.outputDir, 'view');
    expectGolden('demo-view.tree', treeListing(view));
    expectGolden('demo-view-index.md', readFileSync(path.join(view, 'index.md'), 'utf8'));
    // The link check, over every Markdown and CSV file of the demo's view.
    const checked = checkViewLinks(h.config.outputDir);
    expect(checked.length).toBeGreaterThan(100);
    // A document reachable from two places (a drive shortcut) is in each.
    // The root folder by its title (its folder meta), not `Folder <token>`.
    const root = fake.tenant.rootFolderName!;
    const inRoot = path.join(view, root, '快捷方式 文档 1.md');
    const inFolder = path.join(view, root, '文件夹 1', '快捷方式 文档 1.md');
    expect(existsSync(inRoot) && existsSync(inFolder)).toBe(true);
  });

  it('moves a moved or renamed document on the next render and leaves nothing stale', async () => {
    const tenant = emptyTenant({ seed: 11 });
    const team = addFolder(tenant, { name: 'Team' });
    const archive = addFolder(tenant, { name: 'Archive', folder: team.token });
    const doc = addDocx(tenant, { title: 'Plan', folder: team.token, content: [block.text('hello')] });
    const fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'folder', token: team.token }]);
    await backup(h);
    renderView(h.db, h.config.outputDir);
    const view = path.join(h.config.outputDir, 'view');
    const root = team.name;
    expect(existsSync(path.join(view, root, 'Plan.md'))).toBe(true);

    // Someone renames the document and moves it into the Archive folder.
    const entry = tenant.drive.get(doc.documentId)!;
    entry.name = 'Plan 2026';
    entry.parentToken = archive.token;
    entry.modifiedTime += 60;
    tenant.docs.get(doc.documentId)!.title = 'Plan 2026';
    await backup(h);
    renderView(h.db, h.config.outputDir);
    expect(readdirSync(view, { recursive: true }).map(String).sort()).toEqual([
      root,
      `${root}/Archive`,
      `${root}/Archive/Plan 2026.md`,
      'index.md',
    ]);
  });
});
