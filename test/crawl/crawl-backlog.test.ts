import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/events.js';
import {
  addDocx,
  addFolder,
  addWikiNode,
  addWikiSpace,
  block,
  emptyTenant,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { allWikiRoots, harness, rootFolder } from './harness.js';

/** The most a listing page adds at once: drive folders list 200 a page (src/sources/drive/index.ts). */
const DRIVE_PAGE = 200;
const WIKI_PAGE = 50;

/** The crawl's counted backlog figure (src/crawl/scheduler.ts), from its debug event. */
function backlogOf(events: LogEvent[]): { max: number; bound: number } {
  const e = events.find((x) => x.event === 'crawl.backlog');
  expect(e, 'the crawl reports its backlog').toBeDefined();
  return { max: e?.max as number, bound: e?.bound as number };
}

describe('the crawl backlog stays bounded however large the tenant', () => {
  it('lists a folder page only while fewer than the bound wait; every document is still read', async () => {
    const tenant = emptyTenant({ seed: 14 });
    const perFolder = 250;
    for (let f = 0; f < 4; f++) {
      const folder = addFolder(tenant, { name: `F${f}` });
      for (let d = 0; d < perFolder; d++)
        addDocx(tenant, { title: `D${f}-${d}`, folder: folder.token, content: [block.text('a')] });
    }
    const fake = await startFakeFeishu({ tenant });
    try {
      const h = harness(fake, [rootFolder(fake)]);
      h.config.limits.crawlConcurrency = 4;
      const events: LogEvent[] = [];
      const summary = await h.run({ log: (e) => events.push(e), backlogBound: 20 });

      expect(summary.failures).toEqual([]);
      expect(summary.documents.docx?.changed).toBe(4 * perFolder);
      const done = h.db
        .prepare("SELECT count(*) AS n FROM documents WHERE type = 'docx' AND status = 'done'")
        .get() as { n: number };
      expect(done.n).toBe(4 * perFolder);
      const backlog = backlogOf(events);
      expect(backlog.bound).toBe(20);
      // A listing that found room may add one page; at most one listing per worker at a time.
      expect(backlog.max).toBeLessThanOrEqual(20 + 4 * DRIVE_PAGE);
      // Nothing holding the listings back, nearly all 1,000 would wait at once (listing outruns reading).
      expect(backlog.max).toBeGreaterThanOrEqual(20);
    } finally {
      await fake.close();
    }
  }, 90_000);

  it('lists a wiki space page only while fewer than the bound wait', async () => {
    const tenant = emptyTenant({ seed: 15 });
    const space = addWikiSpace(tenant, { name: 'Big' });
    for (let i = 0; i < 400; i++) {
      const doc = addDocx(tenant, { title: `W${i}`, folder: null, content: [block.text('w')] });
      addWikiNode(tenant, space, { objToken: doc.documentId, objType: 'docx', title: `W${i}` });
    }
    const fake = await startFakeFeishu({ tenant });
    try {
      const h = harness(fake, allWikiRoots(fake));
      h.config.limits.crawlConcurrency = 2;
      const events: LogEvent[] = [];
      const summary = await h.run({ log: (e) => events.push(e), backlogBound: 20 });

      expect(summary.failures).toEqual([]);
      expect(summary.documents.docx?.changed).toBe(400);
      expect(backlogOf(events).max).toBeLessThanOrEqual(20 + 2 * WIKI_PAGE);
    } finally {
      await fake.close();
    }
  });

  it('makes progress with one worker and a bound of one: a waiting listing gives its slot back', async () => {
    const tenant = emptyTenant({ seed: 16 });
    const outer = addFolder(tenant, { name: 'Outer' });
    for (let f = 0; f < 3; f++) {
      const folder = addFolder(tenant, { name: `F${f}`, folder: outer.token });
      for (let d = 0; d < 5; d++) addDocx(tenant, { title: `D${f}-${d}`, folder: folder.token });
    }
    const fake = await startFakeFeishu({ tenant });
    try {
      const h = harness(fake, [rootFolder(fake)]);
      h.config.limits.crawlConcurrency = 1;
      const summary = await h.run({ backlogBound: 1 });
      expect(summary.failures).toEqual([]);
      expect(summary.documents.docx?.changed).toBe(15);
      expect(summary.documents.folder?.changed).toBe(5);
    } finally {
      await fake.close();
    }
  });
});
