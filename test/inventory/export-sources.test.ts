import { describe, expect, it } from 'vitest';
import { exportRows } from '../../src/inventory/export.js';
import { teamAndHandbook } from './helpers.js';

/**
 * A drive folder (its listing gave URLs on the tenant's domain) holding a base and a spreadsheet,
 * and a wiki space whose page holds a docx; one file in each.
 */
function inventory() {
  const db = teamAndHandbook();
  db.exec(`
    INSERT INTO media (id, file_token, name, size, bytes_on_disk, status, path) VALUES
      (1, 'boxcnA', 'a.png', NULL, 1234, 'done', 'media/na/boxcnA/a.png'),
      (2, 'boxcnB', 'b.pdf', 99, NULL, 'pending', NULL),
      (3, 'boxcnC', 'c.jpg', NULL, NULL, 'pending', NULL);
    INSERT INTO media_refs (media_id, document_id, location, kind) VALUES
      (1, 3, 'recX/fldFiles', 'bitable_attachment'),
      (2, 4, 's1!B2', 'sheet_attachment'),
      (3, 7, 'blkImage', 'image');`);
  return db;
}

describe('export names the objects a person can open', () => {
  it('gives a base table file as the base, table/record/field, with title and URL on the tenant domain', () => {
    const rows = [...exportRows(inventory())];
    expect(rows[0]!.sources).toMatchObject([
      {
        docType: 'bitable',
        docToken: 'bascnApp',
        location: 'tblTasks/recX/fldFiles',
        title: 'Roadmap / Tasks',
        url: 'https://acme.feishu.cn/base/bascnApp?table=tblTasks',
      },
    ]);
    expect(rows[1]!.sources).toMatchObject([
      {
        docType: 'sheet',
        docToken: 'shtcnBudget',
        location: 's1!B2',
        title: 'Budget',
        url: 'https://acme.feishu.cn/sheets/shtcnBudget?sheet=s1',
      },
    ]);
    // A wiki document opens at its wiki page, on the domain the drive listing gave.
    expect(rows[2]!.sources).toMatchObject([
      {
        docType: 'docx',
        docToken: 'doxcnOnb',
        location: 'blkImage',
        title: 'Onboarding',
        url: 'https://acme.feishu.cn/wiki/wikcnPage',
      },
    ]);
  });

  it('never exports a null size for a file on disk', () => {
    const rows = [...exportRows(inventory())];
    expect(rows.map((r) => r.size)).toEqual([1234, 99, null]);
  });

  it('gives no URL when no listing named the tenant domain (never the API host)', () => {
    const db = inventory();
    db.exec('UPDATE documents SET url = NULL');
    const rows = [...exportRows(db)];
    expect(rows.flatMap((r) => r.sources.map((s) => s.url))).toEqual([null, null, null]);
  });
});
