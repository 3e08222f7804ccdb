import { describe, expect, it } from 'vitest';
import { type FakeFeishu, startFakeFeishu } from '../fake-feishu/index.js';
import { smallTenant } from './fixtures.js';
import { countRequests, harness, liveMedia } from './harness.js';

let fake: FakeFeishu | undefined;

describe('crawl sources', () => {
  it('finds images, files in view blocks, inline files, embedded sheets and bitables, and follows a folder cycle once', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    const summary = await h.run();
    expect([...liveMedia(h.db)].sort()).toEqual(Object.values(t.tokens).sort());
    // The shortcut points back at the folder: listed once, not forever.
    expect(fake.requests.filter((r) => r.route === 'drive.list').length).toBe(1);
    expect(summary.documents.docx).toMatchObject({ found: 1, changed: 1 });
    const locations = h.db
      .prepare(
        'SELECT r.location, r.kind FROM media_refs r JOIN media m ON m.id = r.media_id WHERE m.file_token = ?',
      )
      .all(t.tokens.attachment);
    expect(locations).toEqual([{ location: `${t.ss.sheets[0]!.sheetId}!B5`, kind: 'sheet_attachment' }]);
    expect(h.db.prepare('SELECT location FROM media_refs WHERE kind = ?').get('sheet_image')).toEqual({
      location: `${t.ss.sheets[0]!.sheetId}!C10`,
    });
  });

  it('keeps the extra an advanced-permission attachment needs, as the server gave it', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'bitable', token: t.app.appToken }]);
    await h.run();
    const row = h.db
      .prepare('SELECT extra, name, size FROM media WHERE file_token = ?')
      .get(t.tokens.record) as {
      extra: string;
    };
    expect(JSON.parse(row.extra)).toEqual({
      bitablePerm: { tableId: t.table.tableId, rev: t.table.revision },
    });
    const ref = h.db
      .prepare('SELECT location, extra FROM media_refs WHERE kind = ?')
      .get('bitable_attachment');
    expect(ref).toEqual({ location: `recAAAA/${t.table.fields[1]!.fieldId}`, extra: row.extra });
    // Only the attachment fields were asked for.
    expect(countRequests(fake, 'bitable.records')).toBe(1);
  });

  it('records a document the app cannot read, with the fix, and goes on with the others', async () => {
    const t = smallTenant();
    t.tenant.sheets.get(t.ss.token)!.access = 'forbidden';
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    const summary = await h.run();
    expect(summary.failures).toEqual([
      expect.objectContaining({
        type: 'sheet',
        token: t.ss.token,
        kind: 'permission',
        fix: expect.stringContaining('collaborator'),
      }),
    ]);
    const doc = h.db
      .prepare('SELECT status, error_kind, error_fix FROM documents WHERE token = ?')
      .get(t.ss.token);
    expect(doc).toMatchObject({ status: 'error', error_kind: 'permission' });
    expect(liveMedia(h.db).has(t.tokens.image)).toBe(true);
    expect(liveMedia(h.db).has(t.tokens.record)).toBe(true);
  });

  it('resolves a wiki page URL through get_node and crawls its object', async () => {
    const t = smallTenant();
    const { addWikiSpace, addWikiNode } = await import('../fake-feishu/index.js');
    const space = addWikiSpace(t.tenant, { name: 'Wiki' });
    const node = addWikiNode(t.tenant, space, { objToken: t.doc.documentId, objType: 'docx', title: 'Doc' });
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'wiki_node', nodeToken: node.nodeToken }]);
    await h.run();
    expect(liveMedia(h.db).has(t.tokens.image)).toBe(true);
    expect(countRequests(fake, 'wiki.get_node')).toBe(1);
  });

  it('records old docs, mind notes and slides as skipped with a reason', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [
      { type: 'unsupported', kind: 'mindnote', token: 'bmncnXYZ', reason: 'a mind note' },
    ]);
    const summary = await h.run();
    expect(summary.documents.mindnote).toMatchObject({ found: 1, skipped: 1 });
    expect(h.db.prepare('SELECT status, error_kind FROM documents').get()).toEqual({
      status: 'skipped',
      error_kind: 'unsupported',
    });
    expect(fake.requests.filter((r) => r.route !== 'auth')).toEqual([]);
  });
});
