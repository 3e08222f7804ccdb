import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderView } from '../../src/archive/view/render-view.js';
import type { LogEvent } from '../../src/events.js';
import { exportRows } from '../../src/inventory/export.js';
import { readStatus } from '../../src/inventory/status.js';
import {
  addBitable,
  addDocx,
  addDriveFile,
  addFolder,
  addWikiNode,
  addWikiSpace,
  emptyTenant,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { countRequests, harness } from './harness.js';

/** A folder root holding a drive file the app may not download, and a wiki space root. */
function tenant() {
  const t = emptyTenant({ seed: 15 });
  const folder = addFolder(t, { name: 'Team', folder: 'root' });
  const file = addDriveFile(t, { name: 'budget.xlsx', folder: folder.token });
  file.state = 'forbidden';
  addDocx(t, { title: 'Plan', folder: folder.token });
  const space = addWikiSpace(t, { name: 'Handbook' });
  const doc = addDocx(t, { title: 'Onboarding', folder: null });
  addWikiNode(t, space, { objToken: doc.documentId, objType: 'docx', title: 'Onboarding' });
  return { t, folder, file, space };
}

describe('roots have their real titles', () => {
  it('names a folder root and a wiki space root in the view, status and export (one call each per crawl)', async () => {
    const { t, folder, file, space } = tenant();
    const fake = await startFakeFeishu({ tenant: t });
    const h = harness(fake, [
      { type: 'folder', token: folder.token },
      { type: 'wiki', spaceId: space.spaceId },
    ]);
    await h.run();
    await h.download();
    expect(countRequests(fake, 'drive.folder_meta')).toBe(1);
    expect(countRequests(fake, 'wiki.space')).toBe(1);

    renderView(h.db, h.config.outputDir);
    const view = path.join(h.config.outputDir, 'view');
    expect(existsSync(path.join(view, 'Team', 'Plan.md'))).toBe(true);
    expect(existsSync(path.join(view, 'Handbook', 'Onboarding.md'))).toBe(true);
    expect(existsSync(path.join(view, `Folder ${folder.token}`))).toBe(false);

    // The refused file's failure names its folder, the root, by title and the tenant's URL.
    const failure = readStatus(h.db, { day: '2026-12-06' }).failures.find((f) => f.subject === 'media')!;
    expect(failure.documents?.[0]).toMatchObject({
      title: 'Team',
      kind: 'Folder',
      url: `https://fake.feishu.cn/drive/folder/${folder.token}`,
      root: { title: 'Team', url: `https://fake.feishu.cn/drive/folder/${folder.token}` },
    });
    const row = [...exportRows(h.db)].find((r) => r.fileToken === file.token)!;
    expect(row.sources[0]).toMatchObject({ docType: 'folder', title: 'Team' });

    // Renamed in Feishu: the next crawl asks again and the view follows.
    folder.name = 'Team (archived)';
    await h.run();
    expect(countRequests(fake, 'drive.folder_meta')).toBe(2);
    renderView(h.db, h.config.outputDir);
    expect(existsSync(path.join(view, 'Team (archived)', 'Plan.md'))).toBe(true);
    expect(existsSync(path.join(view, 'Team'))).toBe(false);
  });

  it('keeps the fallback name when Feishu refuses the title, and fails nothing', async () => {
    const { t, folder, space } = tenant();
    const fake = await startFakeFeishu({ tenant: t });
    // As the pages document them: folder meta 91204 FORBIDDEN, wiki space 131006 permission denied.
    fake.inject({
      route: 'drive.folder_meta',
      fault: { kind: 'error', status: 403, code: 91204, msg: 'FORBIDDEN' },
    });
    fake.inject({
      route: 'wiki.space',
      fault: { kind: 'error', status: 400, code: 131006, msg: 'permission denied' },
    });
    const h = harness(fake, [
      { type: 'folder', token: folder.token },
      { type: 'wiki', spaceId: space.spaceId },
    ]);
    const events: LogEvent[] = [];
    const summary = await h.run({ log: (e) => events.push(e) });
    expect(summary.failures).toEqual([]);
    const failed = h.db
      .prepare("SELECT count(*) FROM documents WHERE status IN ('error', 'failed')")
      .pluck()
      .get();
    expect(failed).toBe(0);
    expect(events.filter((e) => e.event === 'crawl.root.untitled')).toHaveLength(2);
    renderView(h.db, h.config.outputDir);
    const view = path.join(h.config.outputDir, 'view');
    expect(existsSync(path.join(view, `Folder ${folder.token}`, 'Plan.md'))).toBe(true);
    expect(existsSync(path.join(view, `Wiki space ${space.spaceId}`, 'Onboarding.md'))).toBe(true);
  });

  it('names a base root by the name its app info (read anyway, for advanced permissions) gives', async () => {
    const t = emptyTenant({ seed: 16 });
    const app = addBitable(t, { name: 'Roadmap', tables: [{ name: 'Tasks' }], folder: null });
    const fake = await startFakeFeishu({ tenant: t });
    const h = harness(fake, [{ type: 'bitable', token: app.appToken }]);
    await h.run();
    const before = countRequests(fake, 'bitable.app');
    renderView(h.db, h.config.outputDir);
    // The root's folder, then the base (a folder of CSVs) in it: both by its name, neither by token.
    expect(existsSync(path.join(h.config.outputDir, 'view', 'Roadmap', 'Roadmap', 'Tasks.csv'))).toBe(true);
    // No call of its own: the base's app info was read for its permissions all the same.
    expect(before).toBe(1);
  });
});
