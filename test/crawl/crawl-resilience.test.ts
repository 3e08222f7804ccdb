import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/limits/clock.js';
import { PageGuard } from '../../src/sources/paging.js';
import { addDocx, addMedia, block, type FakeFeishu, startFakeFeishu } from '../fake-feishu/index.js';
import { smallTenant } from './fixtures.js';
import { countRequests, harness, liveMedia, wrongSecretClient } from './harness.js';

let fake: FakeFeishu | undefined;

/** A clock whose sleeps return at once and are written down, so waits can be asserted without waiting. */
function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => Date.now(), sleep: async (ms) => void slept.push(ms) };
}

/** A folder with one docx of 1,200 blocks (3 pages of 500), one image per 100 blocks. */
function bigDoc() {
  const t = smallTenant();
  const images = Array.from({ length: 12 }, () => addMedia(t.tenant, { name: 'x.png' }).token);
  const content = Array.from({ length: 1199 }, (_, i) =>
    i % 100 === 0 ? block.image(images[i / 100]!) : block.text(`p${i}`),
  );
  const doc = addDocx(t.tenant, { title: 'Big', folder: t.folder.token, content });
  return { ...t, big: doc, images };
}

describe('crawl resilience', () => {
  it('waits the reset the server asks for on a rate-limited page, then carries on', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    fake.faults.inject({ route: 'docx.blocks', fault: { kind: 'rate-limit', resetSeconds: 7 }, times: 2 });
    const clock = recordingClock();
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }], { clock });
    const summary = await h.run();
    expect(summary.failures).toEqual([]);
    expect(clock.slept.filter((ms) => ms >= 7000)).toHaveLength(2);
    expect(liveMedia(h.db).has(t.tokens.image)).toBe(true);
  });

  it('refreshes an invalidated token once and retries', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    await h.run();
    fake.invalidateTokens();
    const summary = await h.run();
    expect(summary.failures).toEqual([]);
    expect(countRequests(fake, 'auth')).toBe(2);
  });

  it('stops with the credentials error when the app secret is wrong, before crawling anything', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    const wrong = wrongSecretClient(fake);
    await expect(h.run({ client: wrong })).rejects.toMatchObject({ kind: 'credentials' });
    expect(fake.requests.filter((r) => r.route !== 'auth')).toEqual([]);
  });

  it('resumes an interrupted document from its last written page, without reading earlier pages again', async () => {
    const t = bigDoc();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const controller = new AbortController();
    let bigPages = 0;
    // Interrupt while the big document's second page is being served.
    fake.faults.inject({
      route: 'docx.blocks',
      fault: { kind: 'error', status: 500 },
      match: (req) => {
        if (req.path.includes(t.big.documentId) && ++bigPages === 2) controller.abort();
        return false;
      },
      // A tap that aborts the crawl, never a fault.
      optional: true,
    });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    const first = await h.run({ signal: controller.signal });
    expect(first.interrupted).toBe(true);
    const cp = h.db.prepare('SELECT phase, page_token FROM crawl_checkpoints').all();
    expect(cp).toEqual([expect.objectContaining({ phase: 'blocks' })]);
    const before = fake.requests.filter((r) => r.path.includes(`${t.big.documentId}/blocks`)).length;
    const second = await h.run();
    const after = fake.requests.filter((r) => r.path.includes(`${t.big.documentId}/blocks`)).length;
    expect(second.interrupted).toBe(false);
    expect(after - before).toBeLessThan(3);
    for (const token of t.images) expect(liveMedia(h.db).has(token)).toBe(true);
    expect(second.refs.gone).toBe(0);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM crawl_checkpoints').get()).toEqual({ n: 0 });
  });

  it('keeps the checkpoint of a document that failed mid-way, and resumes it on the next run', async () => {
    const t = bigDoc();
    fake = await startFakeFeishu({ tenant: t.tenant });
    fake.faults.inject({
      route: 'docx.blocks',
      fault: { kind: 'error', status: 403, code: 1770032, msg: 'forbidden' },
      match: (req) => req.path.includes(t.big.documentId) && req.query.has('page_token'),
    });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    const first = await h.run();
    expect(first.failures).toHaveLength(1);
    const before = countRequests(fake, 'docx.blocks');
    const second = await h.run();
    expect(second.failures).toEqual([]);
    expect(countRequests(fake, 'docx.blocks') - before).toBe(2);
    for (const token of t.images) expect(liveMedia(h.db).has(token)).toBe(true);
  });
});

describe('PageGuard', () => {
  it('treats has_more without a token as a protocol error, not the end', () => {
    expect(() => new PageGuard('op').next(true, undefined)).toThrow(/has_more is true but no page token/);
  });

  it('treats a page token returned twice as a protocol error, not an endless crawl', () => {
    const guard = new PageGuard('op');
    expect(guard.next(true, 'a')).toBe('a');
    expect(guard.next(true, 'b')).toBe('b');
    expect(() => guard.next(true, 'a')).toThrow(/returned twice/);
  });

  it('ends on has_more false even when a token came along', () => {
    expect(new PageGuard('op').next(false, 'x')).toBeUndefined();
  });
});
