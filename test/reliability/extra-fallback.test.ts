import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { mediaRows, runCli, tempDir, writeConfig } from '../cli/helpers.js';
import { addBitable, addMedia, emptyTenant, type FakeFeishu, startFakeFeishu } from '../fake-feishu/index.js';

let fake: FakeFeishu | undefined;

describe('a file referenced from two bases', () => {
  it('tries the extra of its other references before recording a 403 as a permission failure', async () => {
    // Found by the soak: a generated tenant shares one attachment between an advanced-permission table
    // and an ordinary one; the media row keeps the last `extra` seen, which can name the wrong table.
    const tenant = emptyTenant({ seed: 3 });
    const media = addMedia(tenant, { name: 'scan.pdf', mimeType: 'application/pdf', size: 4000 });
    const guarded = addBitable(tenant, {
      name: 'Guarded',
      tables: [{ advancedPerm: true, records: [{ 附件: [media.token] }] }],
    });
    const open = addBitable(tenant, { name: 'Open', tables: [{ records: [{ 附件: [media.token] }] }] });
    fake = await startFakeFeishu({ tenant });
    const dir = tempDir();
    const config = writeConfig(dir, fake, {
      roots: [
        { type: 'bitable', token: guarded.appToken },
        { type: 'bitable', token: open.appToken },
      ],
    });
    const crawl = await runCli(['crawl', '--config', config]);
    expect(crawl.code, crawl.stderr).toBe(0);
    // Whichever table the crawl saw last, make the row carry the ordinary table's extra: the wrong one.
    const database = join(dir, 'backup', 'inventory.sqlite');
    const db = new Database(database);
    db.prepare(
      `UPDATE media SET extra = (SELECT r.extra FROM media_refs r JOIN documents d ON d.id = r.document_id
         WHERE r.media_id = media.id AND d.token LIKE ?) WHERE file_token = ?`,
    ).run(`${open.appToken}%`, media.token);
    db.close();

    const r = await runCli(['download', '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    expect((await mediaRows(database)).find((m) => m.file_token === media.token)).toMatchObject({
      status: 'done',
      sha256: fake.expectedMedia().get(media.token)!.sha256,
    });
    // One 403 with the wrong extra, then the right one.
    expect(fake.requestsTo('media.download').map((q) => q.status)).toEqual([403, 200]);
  });
});
