import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/limits/clock.js';
import {
  addDocx,
  addSpreadsheet,
  addWikiNode,
  addWikiSpace,
  emptyTenant,
  type FakeFeishu,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { onVirtualTime } from '../limits/virtual-time.js';
import { harness, rootFolder } from './harness.js';

/** The answers a route gave that were Feishu's frequency-limit error. */
function rateLimited(fake: FakeFeishu, route: string): number {
  return fake.requests.filter((r) => r.route === route && (r.status === 429 || r.status === 400)).length;
}

/** Start times of a route's requests, ms since the first one. */
function startTimes(fake: FakeFeishu, route: string): number[] {
  const at = fake.requestsTo(route as never).map((r) => r.at);
  return at.map((t) => t - at[0]!);
}

describe('crawl at the documented limits', () => {
  it('crawls 150 spreadsheets with no 99991400: sheets/query and float_images are paced at 100 a minute', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 2));
    const tenant = emptyTenant({ seed: 150 });
    for (let i = 0; i < 150; i++) {
      addSpreadsheet(tenant, { title: `S${i}`, sheets: [{ rowCount: 3, columnCount: 2 }] });
    }
    const fake = await startFakeFeishu({ tenant, clock, documentedLimits: true });
    // The product's own pacing (no `rates` override): what a real run uses.
    const h = harness(fake, [rootFolder(fake)], { clock, rates: {} });
    const summary = await onVirtualTime(clock, h.run());

    expect(summary.failures).toEqual([]);
    expect(summary.documents.sheet?.changed).toBe(150);
    for (const route of ['sheets.query', 'sheets.float_images']) {
      expect({ route, limited: rateLimited(fake, route) }).toEqual({ route, limited: 0 });
    }
    // 150 calls at 100 a minute: a second minute is needed, and no more.
    const query = startTimes(fake, 'sheets.query');
    expect(query).toHaveLength(150);
    expect(query.at(-1)).toBeGreaterThanOrEqual(60_000);
    expect(query.at(-1)).toBeLessThan(70_000);
    for (const t of query)
      expect(query.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(100);
  });

  it('crawls a wiki of 120 pages with children with no 99991400: wiki/nodes is paced at 100 a minute', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 2));
    const tenant = emptyTenant({ seed: 120 });
    const space = addWikiSpace(tenant, { name: 'Handbook' });
    for (let i = 0; i < 120; i++) {
      const parent = addDocx(tenant, { title: `P${i}`, folder: null, content: [] });
      const node = addWikiNode(tenant, space, {
        objToken: parent.documentId,
        objType: 'docx',
        title: `P${i}`,
      });
      const child = addDocx(tenant, { title: `C${i}`, folder: null, content: [] });
      addWikiNode(tenant, space, {
        objToken: child.documentId,
        objType: 'docx',
        title: `C${i}`,
        parentNodeToken: node.nodeToken,
      });
    }
    const fake = await startFakeFeishu({ tenant, clock, documentedLimits: true });
    const h = harness(fake, [{ type: 'wiki', spaceId: space.spaceId }], { clock, rates: {} });
    const summary = await onVirtualTime(clock, h.run());

    expect(summary.failures).toEqual([]);
    expect(summary.documents.docx?.changed).toBe(240);
    // The per-minute bucket under test. (Per-second ones have a 20 ms guard, finer than the steps of
    // virtual time in which a request can be in flight: the real-time benchmark measures those.)
    expect(rateLimited(fake, 'wiki.nodes')).toBe(0);
    const nodes = startTimes(fake, 'wiki.nodes');
    expect(nodes.length).toBeGreaterThan(100);
    expect(nodes.at(-1)).toBeGreaterThanOrEqual(60_000);
  });
});
