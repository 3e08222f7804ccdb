import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStatus } from '../../src/inventory/status.js';
import { harness } from '../crawl/harness.js';
import {
  addBitable,
  addMedia,
  addRecord,
  emptyTenant,
  type FakeFeishu,
  mediaBytes,
  startFakeFeishu,
} from '../fake-feishu/index.js';

let fake: FakeFeishu | undefined;

const extraOf = (query: Record<string, string>): { bitablePerm: Record<string, unknown> } =>
  JSON.parse(query.extra!) as { bitablePerm: Record<string, unknown> };

describe('both forms of extra', () => {
  it("falls back from the server's extra to the documented attachments form, and remembers the table's form across runs", async () => {
    const tenant = emptyTenant({ seed: 31 });
    const first = addMedia(tenant, { name: 'first.png', size: 3000 });
    const app = addBitable(tenant, {
      name: 'Guarded',
      folder: null,
      tables: [{ advancedPerm: true, extraForms: 'attachments', records: [{ 附件: [first.token] }] }],
    });
    const table = app.tables[0]!;
    const field = table.fields.find((f) => f.type === 17)!;
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'bitable', token: app.appToken }]);
    await h.run();
    const summary = await h.download();
    expect(summary).toMatchObject({ downloaded: 1 });
    const reqs = fake.requestsTo('media.download');
    // The server's own form first (from the attachment url), refused; then the documented one.
    expect(reqs.map((r) => r.status)).toEqual([403, 200]);
    expect(extraOf(reqs[0]!.query as Record<string, string>).bitablePerm).toMatchObject({
      tableId: table.tableId,
      rev: 1,
    });
    expect(extraOf(reqs[1]!.query as Record<string, string>).bitablePerm).toEqual({
      tableId: table.tableId,
      attachments: { [field.fieldId]: { [table.records[0]!.recordId]: [first.token] } },
    });
    const path = (
      h.db.prepare('SELECT path FROM media WHERE file_token = ?').get(first.token) as { path: string }
    ).path;
    expect(readFileSync(join(h.config.outputDir, path))).toEqual(
      mediaBytes(tenant.seed, first.token, 0, 3000),
    );

    // A later run, a new file in the same table: the documented form goes first, no refused call.
    const second = addMedia(tenant, { name: 'second.png', size: 2000 });
    addRecord(tenant, app, table, { 附件: [second.token] });
    table.revision += 1;
    await h.run();
    expect(await h.download()).toMatchObject({ downloaded: 1, requests: 1 });
    const later = fake.requestsTo('media.download').slice(reqs.length);
    expect(later.map((r) => r.status)).toEqual([200]);
    expect(extraOf(later[0]!.query as Record<string, string>).bitablePerm).toHaveProperty('attachments');
    expect(h.db.prepare('SELECT table_id, form FROM advanced_tables').all()).toEqual([
      { table_id: table.tableId, form: 'attachments' },
    ]);
    // status tells a real tenant's admin (and us) which form its tables take.
    expect(readStatus(h.db, { day: '2026-12-06' }).advancedTables).toEqual({ server: 0, attachments: 1 });
  });

  it('records a permission failure only after both forms were refused', async () => {
    const tenant = emptyTenant({ seed: 32 });
    const m = addMedia(tenant, { name: 'x.png' });
    const app = addBitable(tenant, {
      name: 'Guarded',
      folder: null,
      tables: [{ advancedPerm: true, extraForms: 'attachments', records: [{ 附件: [m.token] }] }],
    });
    fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'bitable', token: app.appToken }]);
    await h.run();
    // The file moves to another table after the crawl: no form names the cell that holds it now.
    tenant.media.get(m.token)!.permTable = { appToken: app.appToken, tableId: 'tblElsewhere0' };
    const summary = await h.download();
    expect(summary).toMatchObject({ downloaded: 0 });
    expect(fake.requestsTo('media.download').map((r) => r.status)).toEqual([403, 403]);
    expect(h.db.prepare('SELECT status, error_kind FROM media WHERE file_token = ?').get(m.token)).toEqual({
      status: 'failed',
      error_kind: 'permission',
    });
  });
});
