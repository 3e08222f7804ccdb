import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openInventory } from '../../src/inventory/open.js';
import { collectReportData } from '../../src/report/collect.js';
import type { ReportMeta } from '../../src/report/types.js';
import { HOSTILE_NAME, PERMISSION_FIX, seedTenant } from './fixture.js';

let dir: string;
let db: Db;
let meta: ReportMeta;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'report-collect-'));
  db = openInventory(path.join(dir, 'inventory.sqlite'));
  seedTenant(db);
  const outputDir = path.join(dir, 'backup');
  meta = {
    outputDir,
    reportPath: path.join(outputDir, 'report.html'),
    baseUrl: 'https://open.feishu.cn',
    roots: ['folder:fldPlans', 'docx:doxNew'],
    generatedAt: new Date('2024-05-03T09:00:00Z'),
  };
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const byName = (data: ReturnType<typeof collectReportData>, name: string) =>
  data.media.find((m) => m.name === name)!;

describe('collectReportData', () => {
  it('counts files and bytes by state, with partial downloads still pending', () => {
    const data = collectReportData(db, meta);
    expect(data.totals).toEqual({ files: 9, bytes: 5245952 + 21278720 + 122880 + 10240 });
    expect(data.byState).toEqual({
      backed_up: { files: 3, bytes: 5245952 },
      pending: { files: 2, bytes: 21278720 },
      failed: { files: 3, bytes: 122880 },
      gone: { files: 1, bytes: 10240 },
    });
    expect(byName(data, 'launch.mp4').state).toBe('pending');
  });

  it('calls a file gone only when every reference to it has gone', () => {
    const data = collectReportData(db, meta);
    expect(byName(data, 'old diagram.png').state).toBe('gone');
    // One of its two references disappeared; the other still holds it in the tenant.
    expect(byName(data, 'report <2024>.pdf').state).toBe('backed_up');
  });

  it('does not call a file with no reference at all gone, as the download queue and export do not', () => {
    db.prepare(
      `INSERT INTO media (id, file_token, name, size, mime_type, status) VALUES (99, 'boxLoose', 'loose.png', 10, 'image/png', 'pending')`,
    ).run();
    const data = collectReportData(db, meta);
    expect(byName(data, 'loose.png').state).toBe('pending');
    expect(data.byState.gone.files).toBe(1);
  });

  it('lists where each file appears, live documents first, each document once', () => {
    const data = collectReportData(db, meta);
    expect(byName(data, 'logo.png').appearsIn).toEqual([2, 3]);
    expect(byName(data, 'report <2024>.pdf').appearsIn).toEqual([2, 4]);
    const titles = new Map(data.documents.map((d) => [d.id, d.title]));
    expect(titles.get(3)).toBe('Budget 2024');
  });

  it('links backed-up files relative to the report, percent-encoding each path segment', () => {
    const data = collectReportData(db, meta);
    expect(byName(data, 'logo.png').href).toBe('media/lo/logo.png');
    expect(byName(data, 'report <2024>.pdf').href).toBe('media/re/report%20%3C2024%3E.pdf');
    expect(byName(data, 'team photo.jpg').href).toBeNull();

    const nested = collectReportData(db, { ...meta, reportPath: path.join(dir, 'audits', 'may', 'r.html') });
    expect(byName(nested, 'logo.png').href).toBe('../../backup/media/lo/logo.png');
  });

  it('groups failures by reason with their fix, the largest group first', () => {
    const data = collectReportData(db, meta);
    expect(data.failures.map((g) => [g.kind, g.files, g.bytes])).toEqual([
      ['permission', 2, 122880],
      ['not_found', 1, 0],
    ]);
    expect(data.failures[0]!.fixes).toEqual([PERMISSION_FIX]);
    expect(data.failures[0]!.messages).toEqual([{ message: 'HTTP 403, code 1061004', count: 2 }]);
    // Largest first, as the table lists them.
    expect(data.failures[0]!.examples).toEqual(['contract.pdf', 'salaries.xlsx']);
    expect(byName(data, 'deleted.png').error).toBe('not_found: HTTP 404');
    expect(data.documentFailures).toMatchObject([
      { kind: 'permission', documents: 1, fixes: [PERMISSION_FIX], examples: ['HR secrets'] },
    ]);
  });

  it('names the documents each failure is about, one entry per document, with kind, URL and root', () => {
    const data = collectReportData(db, meta);
    expect(data.failures[0]!.documentCount).toBe(2);
    expect(data.failures[0]!.documents).toEqual([
      {
        title: 'Budget 2024',
        kind: 'Spreadsheet',
        url: 'https://tenant.feishu.cn/sheets/shtBudget',
        root: { spec: 'folder:fldPlans', title: 'folder:fldPlans', url: null },
        files: 1,
      },
      // The listing's javascript: URL is dropped; the base opens on the tenant's own domain.
      {
        title: 'Assets',
        kind: 'Base',
        url: 'https://tenant.feishu.cn/base/bscAssets',
        root: { spec: 'wiki:spcHandbook', title: 'wiki:spcHandbook', url: null },
        files: 1,
      },
    ]);
    expect(data.documentFailures[0]!.named?.map((d) => [d.title, d.kind, d.url])).toEqual([
      ['HR secrets', 'Document', 'https://tenant.feishu.cn/docx/doxSecret'],
    ]);
  });

  it('counts documents by type and media per document type, each file once per type', () => {
    const data = collectReportData(db, meta);
    // Documents are documents: the folder is counted apart, and every kind is in people's words.
    expect(data.documentCount).toBe(5);
    expect(data.documentsByType).toEqual([
      { type: 'docx', label: 'Documents', document: true, count: 3, failed: 1, gone: 0 },
      { type: 'sheet', label: 'Spreadsheet', document: true, count: 1, failed: 0, gone: 0 },
      { type: 'bitable', label: 'Base', document: true, count: 1, failed: 0, gone: 0 },
      { type: 'folder', label: 'Folder', document: false, count: 1, failed: 0, gone: 0 },
    ]);
    expect(data.charts.byDocumentType).toEqual([
      { label: 'Documents', files: 4, bytes: 2048 + 5242880 + 1024 },
      { label: 'Spreadsheets', files: 3, bytes: 2048 + 307200 + 40960 },
      { label: 'Bases', files: 2, bytes: 20971520 + 81920 },
    ]);
  });

  it('ranks the largest documents by media bytes and drops links that are not http(s)', () => {
    const data = collectReportData(db, meta);
    const top = data.charts.largestDocuments;
    expect(top.map((d) => [d.title, d.files, d.bytes])).toEqual([
      ['Assets', 2, 20971520 + 81920],
      ['Quarterly plan', 3, 2048 + 5242880],
      ['Budget 2024', 3, 2048 + 307200 + 40960],
      [expect.stringContaining('<img'), 1, 1024],
    ]);
    // The listing's javascript: URL is never passed on; the base opens on the tenant's own domain.
    expect(top[0]!.url).toBe('https://tenant.feishu.cn/base/bscAssets');
    expect(top[1]!.url).toBe('https://tenant.feishu.cn/docx/doxPlan');
  });

  it('buckets media by MIME type and size, unknown sizes apart', () => {
    const data = collectReportData(db, meta);
    expect(data.charts.byMime[0]).toMatchObject({ label: 'image/png', files: 4 });
    const sizes = Object.fromEntries(data.charts.bySize.map((b) => [b.label, b.files]));
    expect(sizes).toMatchObject({
      '< 10 KB': 2,
      '10–100 KB': 3,
      '100 KB–1 MB': 1,
      '1–10 MB': 1,
      '10–100 MB': 1,
    });
    expect(sizes['unknown size']).toBe(1);
  });

  it('says when the backup ran, from which roots, against which tenant', () => {
    const data = collectReportData(db, meta);
    // The tenant's own domain, from a listing URL, not the API host.
    expect(data.tenant).toEqual({
      baseUrl: 'https://open.feishu.cn/',
      domain: 'tenant.feishu.cn',
      origin: 'https://tenant.feishu.cn',
    });
    expect(data.runs.map((r) => [r.id, r.status])).toEqual([
      [2, 'partial'],
      [1, 'ok'],
    ]);
    expect(data.roots).toEqual([
      { spec: 'folder:fldPlans', title: 'folder:fldPlans', url: null, documents: 2, crawled: true },
      { spec: 'docx:doxNew', title: 'docx:doxNew', url: null, documents: 0, crawled: false },
      { spec: 'wiki:spcHandbook', title: 'wiki:spcHandbook', url: null, documents: 3, crawled: true },
    ]);
    // A root the crawl recorded a document for is named by its title and URL.
    db.prepare('UPDATE roots SET document_id = 1 WHERE id = 1').run();
    db.prepare(
      "UPDATE documents SET url = 'https://tenant.feishu.cn/drive/folder/fldPlans' WHERE id = 1",
    ).run();
    expect(collectReportData(db, meta).roots[0]).toMatchObject({
      title: 'Plans',
      url: 'https://tenant.feishu.cn/drive/folder/fldPlans',
    });
    db.prepare('UPDATE roots SET document_id = NULL WHERE id = 1').run();
    db.prepare('UPDATE documents SET url = NULL WHERE id = 1').run();
    expect(data.generatedAt).toBe('2024-05-03T09:00:00.000Z');
  });

  it('counts under each root only the documents still in Feishu', () => {
    db.prepare("UPDATE documents SET status = 'gone' WHERE token = 'shtBudget'").run();
    const data = collectReportData(db, meta);
    expect(data.roots.find((r) => r.spec === 'folder:fldPlans')?.documents).toBe(1);
  });

  it('keeps hostile names as data, untouched, for the renderer to escape', () => {
    const data = collectReportData(db, meta);
    expect(byName(data, HOSTILE_NAME).state).toBe('backed_up');
  });

  it('reports an empty inventory as zeros rather than failing', () => {
    const empty = openInventory(path.join(dir, 'empty.sqlite'));
    const data = collectReportData(empty, meta);
    empty.close();
    expect(data.totals).toEqual({ files: 0, bytes: 0 });
    expect(data.failures).toEqual([]);
    expect(data.charts.largestDocuments).toEqual([]);
  });
});
