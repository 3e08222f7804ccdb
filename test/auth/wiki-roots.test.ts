import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { harness, liveMedia } from '../crawl/harness.js';
import {
  addDocx,
  addMedia,
  addUser,
  addWikiNode,
  addWikiSpace,
  block,
  emptyTenant,
  type FakeFeishu,
  hideFromApp,
  joinSpace,
  startFakeFeishu,
  type Tenant,
  type WikiSpace,
} from '../fake-feishu/index.js';
import { seedLogin } from './helpers.js';

let fake: FakeFeishu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A wiki space with one docx node holding one image; returns the image token. */
function spaceWithImage(t: Tenant, name: string): { space: WikiSpace; image: string } {
  const space = addWikiSpace(t, { name });
  const image = addMedia(t, { name: `${name}.png` }).token;
  const doc = addDocx(t, { title: `${name} page`, content: [block.image(image)], folder: null });
  addWikiNode(t, space, { objToken: doc.documentId, objType: 'docx', title: `${name} page` });
  return { space, image };
}

describe('wiki roots', () => {
  it('wiki-spaces with a tenant token backs up every space the app is a member of, and only those', async () => {
    const t = emptyTenant({ seed: 21 });
    addUser(t);
    const a = spaceWithImage(t, 'Engineering');
    const b = spaceWithImage(t, 'Sales');
    const hidden = spaceWithImage(t, 'Board minutes');
    hideFromApp(t, hidden.space.spaceId);
    fake = await startFakeFeishu({ tenant: t });
    const h = harness(fake, [{ type: 'wiki-spaces' }]);
    const summary = await h.run();
    expect([...liveMedia(h.db)].sort()).toEqual([a.image, b.image].sort());
    expect(summary.documents.wiki_space).toMatchObject({ found: 2 });
    // The first page of the spaces list is empty with has_more (Feishu filters after paging).
    expect(fake.requestsTo('wiki.spaces').length).toBe(2);
    const seen = h.db.prepare('SELECT DISTINCT seen_as FROM documents').all();
    expect(seen).toEqual([{ seen_as: 'tenant' }]);
  });

  it('wiki-spaces and my-library as the signed-in user: their spaces and their personal library', async () => {
    const t = emptyTenant({ seed: 22 });
    const user = addUser(t);
    const member = spaceWithImage(t, 'Team');
    const other = spaceWithImage(t, 'Not mine');
    joinSpace(t, member.space);
    const library = t.wikiSpaces.find((s) => s.spaceId === user.librarySpaceId)!;
    const note = addMedia(t, { name: 'diary.png' }).token;
    const doc = addDocx(t, { title: 'Diary', content: [block.image(note)], folder: null });
    hideFromApp(t, doc.documentId, note);
    const top = addWikiNode(t, library, { objToken: doc.documentId, objType: 'docx', title: 'Diary' });
    const childDoc = addDocx(t, { title: 'Child', content: [], folder: null });
    addWikiNode(t, library, {
      objToken: childDoc.documentId,
      objType: 'docx',
      title: 'Child',
      parentNodeToken: top.nodeToken,
    });
    fake = await startFakeFeishu({ tenant: t });
    const file = join(mkdtempSync(join(tmpdir(), 'fb-wiki-')), 'login.json');
    seedLogin(fake, file);
    const h = harness(fake, [{ type: 'wiki-spaces' }, { type: 'my-library' }], { userLogin: { file } });
    await h.run();
    expect([...liveMedia(h.db)].sort()).toEqual([member.image, note].sort());
    expect(liveMedia(h.db).has(other.image)).toBe(false);
    // The library's children are listed under its real space id, as the nodes name it.
    const nodeCalls = fake.requestsTo('wiki.nodes').map((r) => r.path);
    expect(nodeCalls).toContain('/open-apis/wiki/v2/spaces/my_library/nodes');
    expect(nodeCalls).toContain(`/open-apis/wiki/v2/spaces/${library.spaceId}/nodes`);
  });

  it('my-library with the tenant token is refused (the app has no personal library)', async () => {
    const t = emptyTenant({ seed: 23 });
    addUser(t);
    fake = await startFakeFeishu({ tenant: t });
    const h = harness(fake, [{ type: 'my-library' }]);
    const summary = await h.run();
    expect(summary.documents.wiki_space).toMatchObject({ failed: 1 });
    expect(summary.failures[0]).toMatchObject({ kind: 'permission' });
  });
});
