import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadAll } from '../../src/download/index.js';
import type { LogEvent, Logger } from '../../src/events.js';
import type { Db } from '../../src/inventory/open.js';
import { startRun } from '../../src/inventory/runs.js';
import { readStatus } from '../../src/inventory/status.js';
import {
  addDocx,
  addDriveFile,
  addFolder,
  addMedia,
  addShortcut,
  addWikiNode,
  addWikiSpace,
  block,
  type FakeFeishu,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { smallTenant } from './fixtures.js';
import { type Harness, harness, liveMedia } from './harness.js';

let fake: FakeFeishu | undefined;

interface DocState {
  status: string;
  gone_run: number | null;
}

function docState(db: Db, token: string): DocState | undefined {
  return db.prepare('SELECT status, gone_run FROM documents WHERE token = ?').get(token) as
    | DocState
    | undefined;
}

function lastRunId(db: Db): number {
  return (db.prepare('SELECT MAX(id) AS id FROM runs').get() as { id: number }).id;
}

/** Removes a drive entry (the document's place in its folder) and returns a function that puts it back. */
function removeFromDrive(fake: FakeFeishu, token: string): () => void {
  const entry = fake.tenant.drive.get(token);
  if (!entry) throw new Error(`${token} is not in the drive`);
  fake.tenant.drive.delete(token);
  return () => void fake.tenant.drive.set(token, entry);
}

/** Serves `t`, crawls its folder once, and hands back the fake and the harness for what follows. */
async function crawledOnce(t: ReturnType<typeof smallTenant>): Promise<{ fake: FakeFeishu; h: Harness }> {
  fake = await startFakeFeishu({ tenant: t.tenant });
  const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
  await h.run();
  return { fake, h };
}

describe('documents that vanish from their root', () => {
  it('marks a document deleted from its folder gone, with what it embeds and every reference, and keeps the files on disk', async () => {
    const t = smallTenant();
    const { fake, h } = await crawledOnce(t);
    await downloadAll({
      client: h.client,
      db: h.db,
      outputDir: h.config.outputDir,
      runId: startRun(h.db, 'download'),
      limits: { qps: 1000, perDay: 100_000, concurrency: 4, dayBoundaryTimeZone: 'Asia/Shanghai' },
    });
    const saved = h.db
      .prepare("SELECT path, sha256 FROM media WHERE file_token = ? AND status = 'done'")
      .get(t.tokens.image) as { path: string; sha256: string };
    expect(saved).toBeDefined();

    removeFromDrive(fake, t.doc.documentId);
    t.doc.access = 'deleted';
    const second = await h.run();
    const runId = lastRunId(h.db);

    expect(docState(h.db, t.doc.documentId)).toEqual({ status: 'gone', gone_run: runId });
    // Reached only through the document: the embedded sheet, the base and its table went with it.
    expect(docState(h.db, t.ss.token)).toEqual({ status: 'gone', gone_run: runId });
    expect(docState(h.db, t.app.appToken)).toEqual({ status: 'gone', gone_run: runId });
    expect(docState(h.db, `${t.app.appToken}_${t.table.tableId}`)).toEqual({
      status: 'gone',
      gone_run: runId,
    });
    expect(docState(h.db, t.folder.token)?.status).toBe('done');
    expect(second.documents.docx).toMatchObject({ gone: 1 });
    expect(second.documents.sheet).toMatchObject({ gone: 1 });
    expect(second.documents.bitable_table).toMatchObject({ gone: 1 });
    expect(second.refs.gone).toBe(Object.keys(t.tokens).length);
    expect(liveMedia(h.db).size).toBe(0);
    expect(readStatus(h.db, { day: '2026-01-01' }).documents.byStatus.gone).toBe(4);

    // The backup keeps what it had: the row still says done, and the bytes are still there.
    const after = h.db
      .prepare('SELECT status, path, sha256 FROM media WHERE file_token = ?')
      .get(t.tokens.image);
    expect(after).toEqual({ status: 'done', ...saved });
    const file = path.join(h.config.outputDir, saved.path);
    expect(existsSync(file)).toBe(true);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(saved.sha256);

    // Nothing new to notice on the next run.
    const third = await h.run();
    expect(Object.values(third.documents).reduce((n, c) => n + c.gone, 0)).toBe(0);
    expect(docState(h.db, t.doc.documentId)).toEqual({ status: 'gone', gone_run: runId });
  });

  it('brings a restored document back to life, with its references', async () => {
    const t = smallTenant();
    const { fake, h } = await crawledOnce(t);
    const restore = removeFromDrive(fake, t.doc.documentId);
    await h.run();
    expect(docState(h.db, t.doc.documentId)?.status).toBe('gone');
    expect(liveMedia(h.db).size).toBe(0);

    restore();
    const back = await h.run();
    expect(docState(h.db, t.doc.documentId)).toEqual({ status: 'done', gone_run: null });
    expect(docState(h.db, t.ss.token)).toEqual({ status: 'done', gone_run: null });
    expect(back.documents.docx).toMatchObject({ gone: 0, changed: 1 });
    expect(liveMedia(h.db)).toEqual(new Set(Object.values(t.tokens)));
  });

  it('marks gone a folder deleted with its contents, but not a document moved out of it first', async () => {
    const t = smallTenant();
    const sub = addFolder(t.tenant, { name: 'Sub', folder: t.folder.token });
    const inside = addDocx(t.tenant, { title: 'Inside', folder: sub.token });
    const moved = addDocx(t.tenant, { title: 'Moved', folder: sub.token });
    const deeper = addFolder(t.tenant, { name: 'Deeper', folder: sub.token });
    const deep = addDocx(t.tenant, { title: 'Deep', folder: deeper.token });
    const { fake, h } = await crawledOnce(t);

    fake.tenant.drive.get(moved.documentId)!.parentToken = t.folder.token;
    removeFromDrive(fake, sub.token);
    const second = await h.run();
    for (const token of [sub.token, inside.documentId, deeper.token, deep.documentId]) {
      expect(docState(h.db, token)?.status, token).toBe('gone');
    }
    expect(docState(h.db, moved.documentId)).toEqual({ status: 'done', gone_run: null });
    expect(second.documents.folder).toMatchObject({ gone: 2 });
    expect(second.documents.docx).toMatchObject({ gone: 2 });
  });

  it('marks nothing gone while the folder listing is interrupted, and does once a later run lists it whole', async () => {
    const t = smallTenant();
    // More entries than one page of 200, so the listing has a second page to interrupt.
    for (let i = 0; i < 200; i++) addDriveFile(t.tenant, { name: `f${i}.bin`, folder: t.folder.token });
    const { fake, h } = await crawledOnce(t);
    removeFromDrive(fake, t.doc.documentId);

    // Stopped while the second page is asked for; it answers nothing useful, so page 2 stays unread.
    const controller = new AbortController();
    fake.faults.inject({
      route: 'drive.list',
      fault: { kind: 'error', status: 500 },
      every: 1,
      match: (req) => {
        if (req.query.get('folder_token') !== t.folder.token || !req.query.has('page_token')) return false;
        controller.abort();
        return true;
      },
    });
    const interrupted = await h.run({ signal: controller.signal });
    expect(interrupted.interrupted).toBe(true);
    expect(h.db.prepare('SELECT phase FROM crawl_checkpoints').all()).toEqual([{ phase: 'list' }]);
    expect(docState(h.db, t.doc.documentId)?.status).toBe('done');
    expect(liveMedia(h.db).has(t.tokens.image)).toBe(true);
    expect(interrupted.documents.docx?.gone ?? 0).toBe(0);

    fake.faults.clear();
    const resumed = await h.run();
    expect(resumed.interrupted).toBe(false);
    expect(docState(h.db, t.doc.documentId)).toEqual({ status: 'gone', gone_run: lastRunId(h.db) });
    expect(liveMedia(h.db).has(t.tokens.image)).toBe(false);
  });

  it('marks nothing gone when the crawl is interrupted after the folder was listed, before where the document went', async () => {
    const t = smallTenant();
    const sub = addFolder(t.tenant, { name: 'Sub', folder: t.folder.token });
    const { fake, h } = await crawledOnce(t);
    fake.tenant.drive.get(t.doc.documentId)!.parentToken = sub.token;

    // Stopped while the subfolder is being listed; it answers nothing useful, so it stays unlisted.
    const controller = new AbortController();
    fake.faults.inject({
      route: 'drive.list',
      fault: { kind: 'error', status: 500 },
      every: 1,
      match: (req) => {
        if (req.query.get('folder_token') !== sub.token) return false;
        controller.abort();
        return true;
      },
    });
    const interrupted = await h.run({ signal: controller.signal });
    expect(interrupted.interrupted).toBe(true);
    // The folder was listed whole and no longer holds it; the subfolder was never listed.
    const link = h.db.prepare(
      `SELECT l.gone_run FROM document_links l JOIN documents p ON p.id = l.parent_id
         JOIN documents c ON c.id = l.child_id WHERE p.token = ? AND c.token = ?`,
    );
    expect(link.get(t.folder.token, t.doc.documentId)).toEqual({ gone_run: lastRunId(h.db) });
    expect(link.get(sub.token, t.doc.documentId)).toBeUndefined();
    expect(docState(h.db, t.doc.documentId)).toEqual({ status: 'done', gone_run: null });
    expect(liveMedia(h.db).has(t.tokens.image)).toBe(true);

    fake.faults.clear();
    const next = await h.run();
    expect(next.interrupted).toBe(false);
    expect(docState(h.db, t.doc.documentId)).toEqual({ status: 'done', gone_run: null });
    expect(liveMedia(h.db).has(t.tokens.image)).toBe(true);
  });

  it('marks nothing gone when the folder listing fails part-way', async () => {
    const t = smallTenant();
    for (let i = 0; i < 200; i++) addDriveFile(t.tenant, { name: `f${i}.bin`, folder: t.folder.token });
    const { fake, h } = await crawledOnce(t);
    removeFromDrive(fake, t.doc.documentId);
    fake.faults.inject({
      route: 'drive.list',
      fault: { kind: 'error', status: 403, code: 1061004, msg: 'forbidden' },
      match: (req) => req.query.get('folder_token') === t.folder.token && req.query.has('page_token'),
    });
    const failed = await h.run();
    expect(failed.failures).toEqual([expect.objectContaining({ type: 'folder', kind: 'permission' })]);
    expect(docState(h.db, t.doc.documentId)?.status).toBe('done');
    expect(liveMedia(h.db).has(t.tokens.image)).toBe(true);
  });

  it('marks nothing gone while another folder under the root cannot be listed, and says why', async () => {
    const t = smallTenant();
    const locked = addFolder(t.tenant, { name: 'Locked', folder: t.folder.token });
    const { fake, h } = await crawledOnce(t);
    // The document may have moved into the folder the app can no longer list: nobody can tell.
    removeFromDrive(fake, t.doc.documentId);
    fake.faults.inject({
      route: 'drive.list',
      fault: { kind: 'error', status: 403, code: 1061004, msg: 'forbidden' },
      every: 1,
      match: (req) => req.query.get('folder_token') === locked.token,
    });
    const events: LogEvent[] = [];
    const log: Logger = (e) => void events.push(e);
    const blocked = await h.run({ log });
    expect(blocked.failures).toEqual([expect.objectContaining({ token: locked.token, kind: 'permission' })]);
    expect(docState(h.db, t.doc.documentId)?.status).toBe('done');
    expect(liveMedia(h.db).has(t.tokens.image)).toBe(true);
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'crawl.gone.held_back', level: 'warn', reason: 'unreadable' }),
    );

    fake.faults.clear();
    await h.run();
    expect(docState(h.db, t.doc.documentId)?.status).toBe('gone');
  });

  it('keeps a document two roots reach live until neither does', async () => {
    const t = smallTenant();
    const other = addFolder(t.tenant, { name: 'Other' });
    const shortcut = addShortcut(t.tenant, {
      name: 'Doc (shortcut)',
      targetToken: t.doc.documentId,
      targetType: 'docx',
      folder: other.token,
    });
    const space = addWikiSpace(t.tenant, { name: 'Wiki' });
    const node = addWikiNode(t.tenant, space, { objToken: t.doc.documentId, objType: 'docx', title: 'Doc' });
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [
      { type: 'folder', token: t.folder.token },
      { type: 'folder', token: other.token },
      { type: 'wiki', spaceId: space.spaceId },
    ]);
    await h.run();

    // Out of its own folder (moved to one no root covers); the shortcut and the wiki still reach it.
    fake.tenant.drive.get(t.doc.documentId)!.parentToken = fake.tenant.rootFolderToken;
    await h.run();
    expect(docState(h.db, t.doc.documentId)?.status).toBe('done');
    expect(liveMedia(h.db).has(t.tokens.image)).toBe(true);

    // Out of the wiki: the node goes, the document stays.
    space.nodes.splice(space.nodes.indexOf(node), 1);
    const second = await h.run();
    expect(docState(h.db, node.nodeToken)?.status).toBe('gone');
    expect(docState(h.db, t.doc.documentId)?.status).toBe('done');
    expect(second.documents.wiki_node).toMatchObject({ gone: 1 });
    expect(second.documents.docx).toMatchObject({ gone: 0 });

    // The last place that reached it.
    removeFromDrive(fake, shortcut.token);
    await h.run();
    expect(docState(h.db, t.doc.documentId)?.status).toBe('gone');
    expect(liveMedia(h.db).size).toBe(0);
  });

  it('keeps a sheet embedded in two documents live when the one that first found it is deleted', async () => {
    const t = smallTenant();
    const sheetId = t.ss.sheets[0]!.sheetId;
    const doc2 = addDocx(t.tenant, {
      title: 'Doc 2',
      folder: t.folder.token,
      content: [block.sheet(t.ss.token, sheetId)],
    });
    const { fake, h } = await crawledOnce(t);
    // Delete whichever document met the sheet first: the other, unchanged, is not read again.
    const { token: finder } = h.db
      .prepare('SELECT p.token FROM documents s JOIN documents p ON p.id = s.parent_id WHERE s.token = ?')
      .get(t.ss.token) as { token: string };
    const kept = finder === t.doc.documentId ? doc2.documentId : t.doc.documentId;
    removeFromDrive(fake, finder);
    const second = await h.run();
    expect(second.documents.docx).toMatchObject({ unchanged: 1, gone: 1 });
    expect(docState(h.db, finder)?.status).toBe('gone');
    expect(docState(h.db, kept)?.status).toBe('done');
    expect(docState(h.db, t.ss.token)).toEqual({ status: 'done', gone_run: null });
    for (const token of [t.tokens.attachment, t.tokens.cellImage, t.tokens.floating]) {
      expect(liveMedia(h.db).has(token), token).toBe(true);
    }
  });

  it('marks nothing gone under a root taken out of the config', async () => {
    const t = smallTenant();
    const other = addFolder(t.tenant, { name: 'Other' });
    const image = addMedia(t.tenant, { name: 'z.png' }).token;
    const kept = addDocx(t.tenant, { title: 'Kept', folder: other.token, content: [block.image(image)] });
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [
      { type: 'folder', token: t.folder.token },
      { type: 'folder', token: other.token },
    ]);
    await h.run();
    h.config.roots = [{ type: 'folder', token: t.folder.token }];
    const narrowed = await h.run();
    expect(docState(h.db, kept.documentId)?.status).toBe('done');
    expect(docState(h.db, other.token)?.status).toBe('done');
    expect(liveMedia(h.db).has(image)).toBe(true);
    expect(narrowed.documents.docx).toMatchObject({ gone: 0 });
  });
});
