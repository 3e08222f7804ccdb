import { describe, expect, it } from 'vitest';
import { type FakeFeishu, generateTenant, startFakeFeishu } from '../fake-feishu/index.js';
import { allWikiRoots, harness, liveMedia, rootFolder } from './harness.js';

let fake: FakeFeishu | undefined;

describe('crawling a generated tenant', () => {
  it('finds every media the tenant holds, each once, through folders, wiki, embeds and shortcuts', async () => {
    fake = await startFakeFeishu({
      tenant: generateTenant({
        seed: 1,
        folders: 3,
        docxPerFolder: 5,
        sheets: 2,
        bitables: 2,
        recordsPerTable: 1200,
        wikiSpaces: 1,
      }),
    });
    const h = harness(fake, [rootFolder(fake), ...allWikiRoots(fake)]);
    const summary = await h.run();
    const expected = fake.expectedMedia();
    expect([...liveMedia(h.db)].sort()).toEqual([...expected.keys()].sort());
    const mediaRows = h.db.prepare('SELECT COUNT(*) AS n FROM media').get() as { n: number };
    expect(mediaRows.n).toBe(expected.size);
    expect(summary.failures).toEqual([]);
    expect(summary.interrupted).toBe(false);
  });
});
