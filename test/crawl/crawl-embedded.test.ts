import { describe, expect, it } from 'vitest';
import { exportRows } from '../../src/inventory/export.js';
import { readStatus } from '../../src/inventory/status.js';
import {
  addBitable,
  addDocx,
  addMedia,
  addSpreadsheet,
  appendBlocks,
  block,
  emptyTenant,
  expectedMedia,
  type FakeFeishu,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { countRequests, harness, liveMedia } from './harness.js';

let fake: FakeFeishu | undefined;

/** A base with one table holding one attachment, for the tests below. */
function baseWithAttachment(
  tenant: ReturnType<typeof emptyTenant>,
  options: Parameters<typeof addBitable>[1],
) {
  const app = addBitable(tenant, options);
  const table = app.tables[0]!;
  const media = addMedia(tenant, { name: 'in-base.png' });
  table.records.push({
    recordId: 'recBASE1',
    fields: { [table.fields[1]!.fieldId]: { attachments: [media.token] } },
    lastModifiedTime: 0,
  });
  return { app, table, media };
}

describe('advanced-permission bases', () => {
  it('records an advanced base table that answers no records as a permission problem of that table, with the fix', async () => {
    const tenant = emptyTenant({ seed: 21 });
    const { app, table, media } = baseWithAttachment(tenant, {
      name: 'Locked base',
      folder: null,
      tables: [{ advancedPerm: true }],
      appCanManage: false,
    });
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'bitable', token: app.appToken }]);
    const summary = await h.run();
    // Nothing reachable for the app, so the fake's perfect backup is empty, but the file exists.
    expect(expectedMedia(tenant).has(media.token)).toBe(false);
    expect(summary.failures).toEqual([
      expect.objectContaining({
        type: 'bitable_table',
        token: `${app.appToken}_${table.tableId}`,
        kind: 'permission',
        fix: expect.stringMatching(/manage/),
      }),
    ]);
    expect(summary.documents.bitable_table).toMatchObject({ failed: 1 });
    const row = h.db
      .prepare("SELECT status, error_kind, error_fix FROM documents WHERE type = 'bitable_table'")
      .get() as { status: string; error_kind: string; error_fix: string };
    expect(row).toMatchObject({ status: 'error', error_kind: 'permission' });
    // is_advanced is read once per base.
    expect(countRequests(fake, 'bitable.app')).toBe(1);
  });

  it('keeps the references an advanced table had when a later run answers it with no records', async () => {
    const tenant = emptyTenant({ seed: 22 });
    const { app, media } = baseWithAttachment(tenant, {
      name: 'Base',
      folder: null,
      tables: [{ advancedPerm: true }],
    });
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'bitable', token: app.appToken }]);
    await h.run();
    expect(liveMedia(h.db)).toEqual(new Set([media.token]));
    // The app loses its manage role; the table's revision moves so the table is read again.
    app.appCanManage = false;
    app.tables[0]!.revision += 1;
    const second = await h.run();
    expect(second.failures).toHaveLength(1);
    expect(liveMedia(h.db)).toEqual(new Set([media.token]));
  });

  it('reports a hidden advanced table with its own fix, apart from a document not shared', async () => {
    const tenant = emptyTenant({ seed: 27 });
    const { app } = baseWithAttachment(tenant, {
      name: 'Locked base',
      folder: null,
      tables: [{ advancedPerm: true }],
      appCanManage: false,
    });
    const doc = addDocx(tenant, { title: 'Private', folder: null });
    doc.access = 'forbidden';
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [
      { type: 'bitable', token: app.appToken },
      { type: 'docx', token: doc.documentId },
    ]);
    await h.run();
    const failures = readStatus(h.db, { day: '2026-12-06' }).failures;
    expect(failures.map((f) => [f.subject, f.kind, f.count, f.fix?.slice(0, 14)]).sort()).toEqual([
      ['document', 'permission', 1, 'Add the app as'],
      ['document', 'permission', 1, 'Give the app a'],
    ]);
  });

  it('reads an empty table of a base without advanced permissions as empty, not as a problem', async () => {
    const tenant = emptyTenant({ seed: 23 });
    const app = addBitable(tenant, { name: 'Plain', folder: null, tables: [{ records: [] }] });
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'bitable', token: app.appToken }]);
    const summary = await h.run();
    expect(summary.failures).toEqual([]);
    expect(summary.documents.bitable_table).toMatchObject({ changed: 1, failed: 0 });
  });
});

describe('bases inside spreadsheets', () => {
  it('crawls a base embedded as a sheet (resource_type bitable) as a child, found through metainfo', async () => {
    const tenant = emptyTenant({ seed: 24 });
    const { app, table, media } = baseWithAttachment(tenant, { name: 'Embedded', folder: null });
    const cellImage = addMedia(tenant, { name: 'cell.png' });
    const ss = addSpreadsheet(tenant, {
      title: 'With a base',
      folder: null,
      sheets: [
        { rowCount: 3, columnCount: 2, cells: [[0, 0, { type: 'embed-image', fileToken: cellImage.token }]] },
        { base: { appToken: app.appToken, tableId: table.tableId } },
      ],
    });
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'sheet', token: ss.token }]);
    const summary = await h.run();
    expect(summary.failures).toEqual([]);
    expect(liveMedia(h.db)).toEqual(new Set([cellImage.token, media.token]));
    expect(new Set(expectedMedia(tenant).keys())).toEqual(liveMedia(h.db));
    expect(countRequests(fake, 'sheets.metainfo')).toBe(1);
    const link = h.db
      .prepare(
        `SELECT p.type AS parent FROM document_links l JOIN documents p ON p.id = l.parent_id
         JOIN documents c ON c.id = l.child_id WHERE c.type = 'bitable' AND c.token = ?`,
      )
      .get(app.appToken);
    expect(link).toEqual({ parent: 'sheet' });
  });

  it('asks for metainfo only when a sheet is not a grid', async () => {
    const tenant = emptyTenant({ seed: 25 });
    const ss = addSpreadsheet(tenant, {
      title: 'Plain',
      folder: null,
      sheets: [{ rowCount: 2, columnCount: 2 }],
    });
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'sheet', token: ss.token }]);
    await h.run();
    expect(countRequests(fake, 'sheets.metainfo')).toBe(0);
  });
});

describe('synced and reference blocks', () => {
  it('queues the source document of a synced block and the base of a reference block, saying where the reference was', async () => {
    const tenant = emptyTenant({ seed: 26 });
    const inSource = addMedia(tenant, { name: 'synced.png' });
    const source = addDocx(tenant, { title: 'Source', folder: null, content: [block.image(inSource.token)] });
    const { app, table, media } = baseWithAttachment(tenant, { name: 'Referenced', folder: null });
    const doc = addDocx(tenant, {
      title: 'Uses both',
      folder: null,
      content: [
        block.referenceSynced(source.documentId),
        block.referenceBase(`${app.appToken}_${table.tableId}`),
      ],
    });
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'docx', token: doc.documentId }]);
    const summary = await h.run();
    expect(summary.failures).toEqual([]);
    expect(liveMedia(h.db)).toEqual(new Set([inSource.token, media.token]));
    expect(new Set(expectedMedia(tenant).keys())).toEqual(liveMedia(h.db));
    const via = h.db
      .prepare(
        `SELECT c.type, c.token, l.via FROM document_links l JOIN documents c ON c.id = l.child_id
         JOIN documents p ON p.id = l.parent_id WHERE p.token = ? ORDER BY c.type`,
      )
      .all(doc.documentId) as { type: string; token: string; via: string }[];
    const syncedBlock = doc.blocks.find((b) => b.block_type === 50)!.block_id;
    const baseBlock = doc.blocks.find((b) => 'reference_base' in b)!.block_id;
    expect(via).toEqual([
      { type: 'bitable', token: app.appToken, via: `reference_base:${baseBlock}` },
      { type: 'docx', token: source.documentId, via: `reference_synced:${syncedBlock}` },
    ]);
    // The audit export says, for the synced image, where the reference to its document was.
    const row = [...exportRows(h.db)].find((r) => r.fileToken === inSource.token)!;
    expect(row.sources).toEqual([
      {
        docType: 'docx',
        docToken: source.documentId,
        location: source.blocks[1]!.block_id,
        title: 'Source',
        // No drive listing named the tenant's domain: no URL is made up from the API host.
        url: null,
        seenAs: 'tenant',
        referencedFrom: [
          { docType: 'docx', docToken: doc.documentId, via: `reference_synced:${syncedBlock}` },
        ],
      },
    ]);
  });
});

describe('a synced block whose source is its own document', () => {
  it('reads the document once and links it to nothing', async () => {
    const tenant = emptyTenant({ seed: 28 });
    const img = addMedia(tenant, { name: 'own.png' });
    const doc = addDocx(tenant, { title: 'Self', folder: null, content: [block.image(img.token)] });
    appendBlocks(tenant, doc, [block.referenceSynced(doc.documentId)]);
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'docx', token: doc.documentId }]);
    const summary = await h.run();
    expect(summary.failures).toEqual([]);
    expect(liveMedia(h.db)).toEqual(new Set([img.token]));
    expect(countRequests(fake, 'docx.blocks')).toBe(1);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM document_links').get()).toEqual({ n: 0 });
  });
});
