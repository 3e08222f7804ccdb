import { describe, expect, it } from 'vitest';
import { appendBlocks, block, type FakeFeishu, startFakeFeishu } from '../fake-feishu/index.js';
import { smallTenant, touch } from './fixtures.js';
import { countRequests, harness, liveMedia } from './harness.js';

let fake: FakeFeishu | undefined;

const CONTENT_ROUTES = ['docx.document', 'docx.blocks', 'sheets.values', 'bitable.fields', 'bitable.records'];

describe('incremental crawls', () => {
  it('reads no unchanged document again', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    await h.run();
    const before = fake.requests.length;
    const second = await h.run();
    const again = fake.requests.slice(before);
    expect(again.filter((r) => r.route === 'docx.blocks')).toEqual([]);
    expect(again.filter((r) => r.route === 'bitable.records')).toEqual([]);
    expect(second.documents.docx).toMatchObject({ unchanged: 1, changed: 0 });
    expect(second.refs).toMatchObject({ new: 0, gone: 0 });
    expect(liveMedia(h.db).size).toBe(Object.keys(t.tokens).length);
  });

  it('reads a changed document again, adds new references and marks vanished ones gone, keeping the media', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    await h.run();
    // Remove the image block, add a new image.
    const imageBlock = t.doc.blocks.findIndex((b) => b.block_type === 27);
    t.doc.blocks.splice(imageBlock, 1);
    const { addMedia } = await import('../fake-feishu/index.js');
    const fresh = addMedia(t.tenant, { name: 'new.png' }).token;
    appendBlocks(t.tenant, t.doc, [block.image(fresh)]);
    touch(t.tenant, t.doc.documentId);
    const blocksBefore = countRequests(fake, 'docx.blocks');
    const second = await h.run();
    expect(countRequests(fake, 'docx.blocks') - blocksBefore).toBe(1);
    expect(second.refs).toMatchObject({ new: 1, gone: 1 });
    expect(liveMedia(h.db).has(fresh)).toBe(true);
    expect(liveMedia(h.db).has(t.tokens.image)).toBe(false);
    const kept = h.db.prepare('SELECT status FROM media WHERE file_token = ?').get(t.tokens.image);
    expect(kept).toEqual({ status: 'pending' });
  });

  it('rereads only the bitable table whose revision moved', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'bitable', token: t.app.appToken }]);
    await h.run();
    const before = countRequests(fake, 'bitable.records');
    await h.run();
    expect(countRequests(fake, 'bitable.records')).toBe(before);
    t.table.revision += 1;
    await h.run();
    expect(countRequests(fake, 'bitable.records')).toBe(before + 1);
  });

  it('spends no content calls on a no-change re-crawl of a docx root beyond its revision check', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'docx', token: t.doc.documentId }]);
    await h.run();
    const before = new Map(CONTENT_ROUTES.map((r) => [r, countRequests(fake!, r)]));
    await h.run();
    expect(countRequests(fake, 'docx.document') - before.get('docx.document')!).toBe(1);
    expect(countRequests(fake, 'docx.blocks')).toBe(before.get('docx.blocks'));
  });
});
