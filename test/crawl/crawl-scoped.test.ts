import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Root } from '../../src/config/types.js';
import type { Db } from '../../src/inventory/open.js';
import {
  addBitable,
  addDocx,
  addFolder,
  addMedia,
  addRecord,
  addSpreadsheet,
  type BitableTable,
  block,
  emptyTenant,
  type FakeFeishu,
  type Sheet,
  type Spreadsheet,
  startFakeFeishu,
  type Tenant,
} from '../fake-feishu/index.js';
import { touch } from './fixtures.js';
import { harness, liveMedia } from './harness.js';

let fake: FakeFeishu | undefined;

/** A folder holding a spreadsheet of two sheets, each with an image in a cell and a floating image. */
function twoSheetTenant() {
  const tenant: Tenant = emptyTenant({ seed: 21 });
  const folder = addFolder(tenant, { name: 'Team' });
  const m = (name: string) => addMedia(tenant, { name }).token;
  const cell1 = m('cell-1.png');
  const float1 = m('float-1.png');
  const cell2 = m('cell-2.png');
  const float2 = m('float-2.png');
  const image = (fileToken: string) => ({ type: 'embed-image', fileToken, width: 10, height: 10 });
  const ss = addSpreadsheet(tenant, {
    title: 'Two sheets',
    folder: folder.token,
    sheets: [
      { rowCount: 10, columnCount: 3, cells: [[2, 1, image(cell1)]], floatImages: [float1] },
      { rowCount: 10, columnCount: 3, cells: [[3, 2, image(cell2)]], floatImages: [float2] },
    ],
  });
  const [sheet1, sheet2] = ss.sheets as [Sheet, Sheet];
  return {
    tenant,
    folder,
    ss,
    sheet1,
    sheet2,
    cell1,
    float1,
    cell2,
    float2,
    all: [cell1, float1, cell2, float2],
  };
}

/** A floating image added to a sheet in Feishu: the spreadsheet's revision and drive time move. */
function addFloatImage(tenant: Tenant, ss: Spreadsheet, sheet: Sheet, name: string): string {
  const token = addMedia(tenant, { name }).token;
  sheet.floatImages.push({
    floatImageId: `fi${token.slice(-8)}`,
    floatImageToken: token,
    range: `${sheet.sheetId}!B1:B1`,
    width: 10,
    height: 10,
    offsetX: 0,
    offsetY: 0,
  });
  ss.revision++;
  touch(tenant, ss.token);
  return token;
}

/** The ranges of cells read since request `from`, leaving out the revision probe (`A1:A1`). */
function cellsRead(fake: FakeFeishu, from: number): string[] {
  return fake.requests
    .slice(from)
    .filter((r) => r.route === 'sheets.values')
    .map((r) => String(r.query.ranges))
    .filter((range) => !range.endsWith('!A1:A1'));
}

function refGone(db: Db, token: string): boolean {
  const row = db
    .prepare(
      `SELECT COUNT(*) AS live FROM media_refs r JOIN media m ON m.id = r.media_id
        WHERE m.file_token = ? AND r.gone_at IS NULL`,
    )
    .get(token) as { live: number };
  return row.live === 0;
}

/** Each snapshot of the inventory, oldest first, with the sheets it holds. */
function snapshotSheets(db: Db, outputDir: string): { revision: string; sheets: string[] }[] {
  const rows = db.prepare('SELECT revision, path FROM snapshots ORDER BY id').all() as {
    revision: string;
    path: string;
  }[];
  return rows.map((r) => {
    const content = JSON.parse(gunzipSync(readFileSync(path.join(outputDir, r.path))).toString('utf8')) as {
      sheets: { sheet_id: string }[];
    };
    return { revision: r.revision, sheets: content.sheets.map((s) => s.sheet_id) };
  });
}

describe('a root that names one sheet or one table', () => {
  it('keeps every sheet live when one root is the whole spreadsheet and another names one of its sheets', async () => {
    const t = twoSheetTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [
      { type: 'folder', token: t.folder.token },
      { type: 'sheet', token: t.ss.token, sheetId: t.sheet2.sheetId },
    ]);
    const first = await h.run();
    expect(first.refs.gone).toBe(0);
    for (const token of t.all) expect(liveMedia(h.db).has(token), token).toBe(true);

    // Sheet 1 changes: the folder's root still reads the whole spreadsheet, the scoped root notwithstanding.
    const added = addFloatImage(t.tenant, t.ss, t.sheet1, 'added-1.png');
    const second = await h.run();
    expect(second.refs).toMatchObject({ new: 1, gone: 0 });
    for (const token of [...t.all, added]) expect(liveMedia(h.db).has(token), token).toBe(true);

    // Nothing changed: the whole read skips the spreadsheet, and answers the scoped root too.
    const before = fake.requests.length;
    const third = await h.run();
    expect(third.refs.gone).toBe(0);
    expect(third.documents.sheet).toMatchObject({ found: 1, unchanged: 1, changed: 0 });
    expect(cellsRead(fake, before)).toEqual([]);
    for (const token of [...t.all, added]) expect(liveMedia(h.db).has(token), token).toBe(true);
  });

  it('marks gone only the references of the sheet a scoped read covers, and a later whole read takes the rest', async () => {
    const t = twoSheetTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const whole: Root = { type: 'sheet', token: t.ss.token };
    const h = harness(fake, [whole]);
    await h.run();
    for (const token of t.all) expect(liveMedia(h.db).has(token), token).toBe(true);

    // Both floating images are removed and an image added to sheet 1; the config narrows to sheet 2.
    t.sheet1.floatImages.length = 0;
    t.sheet2.floatImages.length = 0;
    const added = addFloatImage(t.tenant, t.ss, t.sheet1, 'added-1.png');
    h.config.roots = [{ type: 'sheet', token: t.ss.token, sheetId: t.sheet2.sheetId }];
    let before = fake.requests.length;
    const scoped = await h.run();
    expect(cellsRead(fake, before)).toEqual([`${t.sheet2.sheetId}!A1:C10`]);
    expect(scoped.refs.gone).toBe(1);
    expect(refGone(h.db, t.float2)).toBe(true);
    // Sheet 1 was not read: what it held is not known to be gone.
    expect(refGone(h.db, t.float1)).toBe(false);
    expect(liveMedia(h.db).has(t.cell1)).toBe(true);
    expect(liveMedia(h.db).has(added)).toBe(false);

    // The scoped root alone, unchanged, is not read again.
    before = fake.requests.length;
    const again = await h.run();
    expect(again.documents.sheet).toMatchObject({ unchanged: 1 });
    expect(cellsRead(fake, before)).toEqual([]);

    // The scoped read did not record the revision as read whole: the whole read takes sheet 1 too.
    h.config.roots = [whole];
    before = fake.requests.length;
    const after = await h.run();
    expect(cellsRead(fake, before)).toEqual([`${t.sheet1.sheetId}!A1:C10`, `${t.sheet2.sheetId}!A1:C10`]);
    expect(after.refs.gone).toBe(1);
    expect(refGone(h.db, t.float1)).toBe(true);
    for (const token of [t.cell1, t.cell2, added]) expect(liveMedia(h.db).has(token), token).toBe(true);

    // Each pass's snapshot says what it holds: the scoped one is not taken for the revision's whole content.
    expect(snapshotSheets(h.db, h.config.outputDir)).toEqual([
      { revision: 'rev:1', sheets: [t.sheet1.sheetId, t.sheet2.sheetId] },
      { revision: `rev:2@${t.sheet2.sheetId}`, sheets: [t.sheet2.sheetId] },
      { revision: 'rev:2', sheets: [t.sheet1.sheetId, t.sheet2.sheetId] },
    ]);
  });

  it('reads two roots naming two sheets of one spreadsheet, and neither again while it is unchanged', async () => {
    const t = twoSheetTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [
      { type: 'sheet', token: t.ss.token, sheetId: t.sheet1.sheetId },
      { type: 'sheet', token: t.ss.token, sheetId: t.sheet2.sheetId },
    ]);
    await h.run();
    for (const token of t.all) expect(liveMedia(h.db).has(token), token).toBe(true);
    const before = fake.requests.length;
    const second = await h.run();
    expect(cellsRead(fake, before)).toEqual([]);
    expect(second.documents.sheet).toMatchObject({ unchanged: 2 });
    for (const token of t.all) expect(liveMedia(h.db).has(token), token).toBe(true);
  });

  it('does not resume a whole read from where an interrupted scoped read stopped', async () => {
    const t = twoSheetTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const whole: Root = { type: 'sheet', token: t.ss.token };
    const h = harness(fake, [whole]);
    await h.run();

    // A scoped read of a new revision fails after sheet 2's cells, leaving a checkpoint inside sheet 2.
    t.ss.revision++;
    h.config.roots = [{ type: 'sheet', token: t.ss.token, sheetId: t.sheet2.sheetId }];
    fake.faults.inject({
      route: 'sheets.float_images',
      fault: { kind: 'error', status: 403, code: 1770032, msg: 'forbidden' },
      match: (req) => req.params.sheet_id === t.sheet2.sheetId,
    });
    const failed = await h.run();
    expect(failed.failures).toHaveLength(1);
    expect(h.db.prepare('SELECT phase FROM crawl_checkpoints').all()).toEqual([
      { phase: `float:${t.sheet2.sheetId}` },
    ]);

    // The same revision read whole: from the first sheet, and nothing of sheet 1 taken for gone.
    h.config.roots = [whole];
    const before = fake.requests.length;
    const after = await h.run();
    expect(after.failures).toEqual([]);
    expect(cellsRead(fake, before)).toEqual([`${t.sheet1.sheetId}!A1:C10`, `${t.sheet2.sheetId}!A1:C10`]);
    expect(after.refs.gone).toBe(0);
    for (const token of t.all) expect(liveMedia(h.db).has(token), token).toBe(true);
  });

  it('reads whole a spreadsheet a root once named one sheet of, when an unchanged document embeds it', async () => {
    const t = twoSheetTenant();
    addDocx(t.tenant, {
      title: 'Doc',
      folder: t.folder.token,
      content: [block.sheet(t.ss.token, t.sheet2.sheetId)],
    });
    // The spreadsheet itself is out of the folder: it is reached through the document.
    t.tenant.drive.delete(t.ss.token);
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [
      { type: 'sheet', token: t.ss.token, sheetId: t.sheet2.sheetId },
      { type: 'folder', token: t.folder.token },
    ]);
    await h.run();
    for (const token of t.all) expect(liveMedia(h.db).has(token), token).toBe(true);

    // The scoped root goes; the document, unchanged, is not read again, but what it embeds is visited.
    h.config.roots = [{ type: 'folder', token: t.folder.token }];
    const added = addFloatImage(t.tenant, t.ss, t.sheet1, 'added-1.png');
    const second = await h.run();
    expect(second.documents.docx).toMatchObject({ unchanged: 1 });
    expect(second.refs.gone).toBe(0);
    for (const token of [...t.all, added]) expect(liveMedia(h.db).has(token), token).toBe(true);
  });

  it('keeps reading every table of a base when another root names one of its tables', async () => {
    const tenant: Tenant = emptyTenant({ seed: 22 });
    const folder = addFolder(tenant, { name: 'Team' });
    const app = addBitable(tenant, { name: 'Base', folder: folder.token, tables: [{}, {}] });
    const [table1, table2] = app.tables as [BitableTable, BitableTable];
    const a1 = addMedia(tenant, { name: 'a1.png' }).token;
    const a2 = addMedia(tenant, { name: 'a2.png' }).token;
    addRecord(tenant, app, table1, { 名称: 'one', 附件: [a1] });
    addRecord(tenant, app, table2, { 名称: 'two', 附件: [a2] });
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [
      { type: 'folder', token: folder.token },
      { type: 'bitable', token: app.appToken, tableId: table2.tableId },
    ]);
    const first = await h.run();
    expect(first.refs.gone).toBe(0);
    for (const token of [a1, a2]) expect(liveMedia(h.db).has(token), token).toBe(true);

    const b1 = addMedia(tenant, { name: 'b1.png' }).token;
    addRecord(tenant, app, table1, { 名称: 'three', 附件: [b1] });
    table1.revision++;
    const second = await h.run();
    expect(second.refs).toMatchObject({ new: 1, gone: 0 });
    for (const token of [a1, a2, b1]) expect(liveMedia(h.db).has(token), token).toBe(true);
  });
});
