import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/commands/status.js';
import { renderSummary } from '../../src/cli/summary.js';
import { readStatus } from '../../src/inventory/status.js';
import { teamAndHandbook } from './helpers.js';

/** A base table with two files refused for one reason (two different raw messages), a sheet with one. */
function inventory() {
  const db = teamAndHandbook();
  db.exec(`
    -- No listing gave the wiki space a title.
    UPDATE documents SET title = NULL WHERE id = 5;
    UPDATE documents SET status = 'error', error_kind = 'permission', error_message = 'forbidden 1770032',
      error_fix = 'Add the app to the document.' WHERE id = 7;
    INSERT INTO media (id, file_token, name, status, error_kind, error_code, error_message, error_fix) VALUES
      (1, 'boxcnA', 'a.png', 'failed', 'permission', 'FEISHU_PERMISSION', 'HTTP 403 for boxcnA', 'Add the app to the document (or base) that contains it.'),
      (2, 'boxcnB', 'b.png', 'failed', 'permission', 'FEISHU_PERMISSION', 'HTTP 403 for boxcnB', 'Add the app to the document (or base) that contains it.'),
      (3, 'boxcnC', 'c.png', 'failed', 'permission', 'FEISHU_PERMISSION', 'HTTP 400 bad extra', 'Add the app to the document (or base) that contains it.');
    INSERT INTO media_refs (media_id, document_id, location, kind) VALUES
      (1, 3, 'recX/fldFiles', 'bitable_attachment'),
      (2, 3, 'recY/fldFiles', 'bitable_attachment'),
      (3, 4, 's1!B2', 'sheet_attachment');`);
  return db;
}

const status = () => readStatus(inventory(), { day: '2026-12-01' });

describe('failures name the document and its root', () => {
  it('groups a reason into one entry per document, with title, kind, URL and root', () => {
    const media = status().failures.find((f) => f.subject === 'media')!;
    expect(media.count).toBe(3);
    expect(media.documentCount).toBe(2);
    expect(media.documents).toEqual([
      {
        title: 'Roadmap / Tasks',
        kind: 'Base table',
        url: 'https://acme.feishu.cn/base/bascnApp?table=tblTasks',
        root: { spec: 'folder:fldTeam', title: 'Team', url: 'https://acme.feishu.cn/drive/folder/fldTeam' },
        files: 2,
      },
      {
        title: 'Budget',
        kind: 'Spreadsheet',
        url: 'https://acme.feishu.cn/sheets/shtcnBudget',
        root: { spec: 'folder:fldTeam', title: 'Team', url: 'https://acme.feishu.cn/drive/folder/fldTeam' },
        files: 1,
      },
    ]);
    const docs = status().failures.find((f) => f.subject === 'document')!;
    expect(docs.documents?.[0]).toMatchObject({
      title: 'Onboarding',
      kind: 'Document',
      url: 'https://acme.feishu.cn/wiki/wikcnPage',
      // The wiki space root has no title in any listing: its kind and id name it.
      root: { title: 'Wiki space 7001' },
    });
  });

  it('status shows them per document, not per raw message, and counts documents apart from containers', () => {
    const text = renderStatus(status(), '/b/inventory.sqlite', '/b', 'Asia/Shanghai');
    expect(text).toContain('Documents  3: 1 document, 1 spreadsheet, 1 base');
    expect(text).toMatch(/Also\s+1 folder, 1 wiki space, 1 wiki page, 1 base table/);
    expect(text).toContain('in "Roadmap / Tasks" (Base table, 2 files), from root "Team"');
    expect(text).toContain('https://acme.feishu.cn/base/bascnApp?table=tblTasks');
    expect(text).not.toMatch(/HTTP 403|bitable_table|wiki_node|wiki_space/);
  });

  it('the run summary names them too', () => {
    const text = renderSummary(
      {
        command: 'backup',
        dryRun: false,
        durationMs: 1000,
        interrupted: false,
        after: status(),
        outputDir: '/b',
        database: '/b/inventory.sqlite',
      },
      3,
    );
    expect(text).toMatch(/Found\s+3 documents/);
    expect(text).toContain('in "Budget" (Spreadsheet, 1 file), from root "Team"');
  });
});
