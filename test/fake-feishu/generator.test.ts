import { createHash } from 'node:crypto';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/feishu/client.js';
import {
  addRealSampleDocs,
  emptyTenant,
  expectedMedia as expectedOf,
  type FakeFeishu,
  generateTenant,
  startFakeFeishu,
} from './index.js';

let fake: FakeFeishu | undefined;

describe('generated tenants', () => {
  it('are the same for the same seed and differ for another', () => {
    const summary = (seed: number) => {
      const expected = generateTenant({ seed, folders: 3, docxPerFolder: 4, bitables: 2 }).media;
      return [...expected.values()].map((m) => `${m.token}:${m.size}:${m.state}`);
    };
    expect(summary(5)).toEqual(summary(5));
    expect(summary(5)).not.toEqual(summary(6));
  });

  it('mix shared media, embedded documents, shortcuts, empty containers and an advanced-permission table', () => {
    const tenant = generateTenant({
      seed: 2,
      folders: 4,
      docxPerFolder: 6,
      sheets: 2,
      bitables: 2,
      recordsPerTable: 100,
    });
    const expected = [...expectedOf(tenant).values()];
    expect(expected.some((m) => m.docs.length > 1)).toBe(true);
    expect(expected.some((m) => m.needsExtra)).toBe(true);
    expect(expected.some((m) => m.kind === 'file')).toBe(true);
    expect(new Set(expected.map((m) => m.state))).toEqual(new Set(['ok', 'forbidden', 'deleted']));
    const blocks = [...tenant.docs.values()].flatMap((d) => d.blocks.map((b) => b.block_type));
    for (const type of [27, 23, 33, 30, 18, 31, 32]) expect(blocks).toContain(type);
    const drive = [...tenant.drive.values()];
    expect(drive.some((e) => e.type === 'shortcut')).toBe(true);
    expect(drive.some((e) => e.type === 'folder' && !drive.some((c) => c.parentToken === e.token))).toBe(
      true,
    );
    expect(tenant.wikiSpaces[0]!.nodes.some((n) => n.parentNodeToken !== '')).toBe(true);
  });

  it('add the real sample documents with media for their 4 image tokens', () => {
    const tenant = emptyTenant();
    const docs = addRealSampleDocs(tenant);
    expect(docs.map((d) => d.blocks.length)).toEqual([43, 144, 33]);
    expect([...expectedOf(tenant).keys()].sort()).toEqual(
      [
        'boxcnAb2MgMQoUMDLLf3ySogueh',
        'boxcnbK20aJ9pePyziodIvjXTce',
        'boxcnh7JKLbFaWhHKHveYzGMNZg',
        'boxcnqt9YDTirkKlTATlQI025Ig',
      ].sort(),
    );
  });

  it("expectedMedia's size and sha256 are those of the bytes the server sends", async () => {
    const tenant = generateTenant({ seed: 3 });
    fake = await startFakeFeishu({ tenant });
    const token = await new FeishuClient({
      appId: fake.appId,
      appSecret: fake.appSecret,
      baseUrl: fake.url,
    }).token();
    const ok = [...fake.expectedMedia().values()].filter(
      (m) => m.state === 'ok' && m.kind === 'media' && !m.needsExtra,
    );
    for (const m of ok.slice(0, 5)) {
      const res = await request(`${fake.url}/open-apis/drive/v1/medias/${m.token}/download`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      expect([body.length, createHash('sha256').update(body).digest('hex')]).toEqual([m.size, m.sha256]);
    }
  });
});
