import { describe, expect, it } from 'vitest';
import { addDocx, addMedia, block, emptyTenant, startFakeFeishu } from '../fake-feishu/index.js';
import { countRequests, harness, liveMedia, rootFolder } from './harness.js';

/** Twelve docx with one image each in the root folder. */
function tenantOfTwelve() {
  const tenant = emptyTenant({ seed: 403 });
  const images: string[] = [];
  for (let i = 0; i < 12; i++) {
    const image = addMedia(tenant, { name: `i${i}.png`, size: 3000 + i }).token;
    images.push(image);
    addDocx(tenant, { title: `D${i}`, content: [block.image(image)] });
  }
  return { tenant, images };
}

describe("the free plan's monthly API quota (99991403)", () => {
  it('stops the crawl cleanly at the first 99991403, never retries it, keeps what was read, marks nothing gone', async () => {
    const { tenant, images } = tenantOfTwelve();
    const fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [rootFolder(fake)], { maxRetries: 6 });
    // The root's title (folder meta), the listing and 7 documents, then the month is spent.
    fake.setMonthlyQuota(9);
    const summary = await h.run();
    expect(summary.monthlyQuota?.fix).toMatch(/monthly API call quota.*upgrade/s);
    // Each refused request was a different one: none was retried.
    const refused = fake.requests.filter((r) => r.status === 400).map((r) => r.path);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused).size).toBe(refused.length);
    // What was read is kept; the rest is neither failed nor gone, only not read yet.
    expect(summary.failures).toEqual([]);
    const read = liveMedia(h.db);
    expect(read.size).toBe(7);
    const statuses = h.db
      .prepare("SELECT status, COUNT(*) AS n FROM documents WHERE type = 'docx' GROUP BY status")
      .all();
    expect(statuses).not.toContainEqual(expect.objectContaining({ status: 'error' }));

    // Still spent: even the listing is refused; nothing found before is marked gone.
    fake.setMonthlyQuota(0);
    const spent = await h.run();
    expect(spent.monthlyQuota).toBeDefined();
    expect(spent.refs.gone).toBe(0);
    expect(liveMedia(h.db)).toEqual(read);

    // Next month: the crawl picks up where it stopped.
    fake.setMonthlyQuota(undefined);
    const next = await h.run();
    expect(next.monthlyQuota).toBeUndefined();
    expect(next.failures).toEqual([]);
    expect(liveMedia(h.db)).toEqual(new Set(images));
  });

  it('stops the download for every endpoint at the first 99991403 and keeps the files done so far', async () => {
    const { tenant } = tenantOfTwelve();
    const fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [rootFolder(fake)]);
    await h.run();
    fake.setMonthlyQuota(5);
    const summary = await h.download({
      limits: { qps: 1000, perDay: 100_000, concurrency: 1, dayBoundaryTimeZone: 'Asia/Shanghai' },
    });
    expect(summary.stopReason).toBe('quota');
    expect(summary.monthlyQuota?.fix).toMatch(/next month/);
    expect(summary.quotaSpent).toEqual([]);
    expect(summary.downloaded).toBe(5);
    // One refused request, not one per file, and no retry of it.
    expect(countRequests(fake, 'media.download')).toBe(6);
    const done = h.db.prepare("SELECT COUNT(*) AS n FROM media WHERE status = 'done'").get() as { n: number };
    expect(done.n).toBe(5);
  });
});
