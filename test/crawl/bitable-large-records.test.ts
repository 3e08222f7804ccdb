import { describe, expect, it } from 'vitest';
import {
  addBitable,
  addMedia,
  BITABLE_MAX_RESPONSE_BYTES,
  emptyTenant,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { harness, liveMedia, rootFolder } from './harness.js';

describe('bitable records/search too large (1254030 TooLargeResponse)', () => {
  it('halves page_size until the page fits, then reads every record with it', async () => {
    const tenant = emptyTenant({ seed: 1254 });
    const images: string[] = [];
    // 120 records of ~30 KB of text each: a page of all of them is over the fake's limit.
    const text = 'x'.repeat(30_000);
    const records = Array.from({ length: 120 }, (_, i) => {
      const image = addMedia(tenant, { name: `r${i}.png`, size: 2000 + i }).token;
      images.push(image);
      return { 名称: text, 附件: [image] };
    });
    expect(120 * text.length).toBeGreaterThan(BITABLE_MAX_RESPONSE_BYTES);
    addBitable(tenant, { name: 'Big base', tables: [{ records }] });
    const fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [rootFolder(fake)]);
    const summary = await h.run();

    expect(summary.failures).toEqual([]);
    expect(liveMedia(h.db)).toEqual(new Set(images));
    const searches = fake.requestsTo('bitable.records');
    const sizes = searches.map((r) => Number(r.query.page_size));
    // 500 -> 250 -> 125 -> 62 fits (62 x 30 KB < 2 MB): refused three times, then pages of 62.
    expect(sizes).toEqual([500, 250, 125, 62, 62]);
    expect(searches.slice(0, 3).every((r) => r.status === 200)).toBe(true);
  });
});
