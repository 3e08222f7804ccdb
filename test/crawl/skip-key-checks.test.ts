import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/events.js';
import { readSkipKeyChecks } from '../../src/inventory/skip-keys.js';
import { addMedia, appendBlocks, block, startFakeFeishu } from '../fake-feishu/index.js';
import { smallTenant } from './fixtures.js';
import { countRequests, harness, liveMedia } from './harness.js';

/** An attachment added to a record while the table's `revision` stays: what the docs do not rule out. */
function addRecordUnderSameRevision(t: ReturnType<typeof smallTenant>): string {
  const media = addMedia(t.tenant, {
    name: 'late.jpg',
    permTable: { appToken: t.app.appToken, tableId: t.table.tableId },
  });
  t.table.records.push({
    recordId: 'recBBBB',
    fields: { [t.table.fields[1]!.fieldId]: { attachments: [media.token] } },
    lastModifiedTime: 0,
  });
  return media.token;
}

describe('skip keys checked by full reads', () => {
  it('--full reads a table whose revision did not move and records the attachment added under it', async () => {
    const t = smallTenant();
    const fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'bitable', token: t.app.appToken }]);
    await h.run();
    const late = addRecordUnderSameRevision(t);
    await h.run();
    // The incremental crawl trusts the key: the new attachment stays unseen.
    expect(liveMedia(h.db).has(late)).toBe(false);
    const events: LogEvent[] = [];
    const full = await h.run({ full: true, log: (e) => events.push(e) });
    expect(liveMedia(h.db).has(late)).toBe(true);
    expect(full.fullRead).toEqual({ reason: 'flag', checked: 1, misses: 1 });
    const checks = readSkipKeyChecks(h.db);
    expect(checks.total).toBe(1);
    expect(checks.misses[0]).toMatchObject({
      type: 'bitable_table',
      token: `${t.app.appToken}_${t.table.tableId}`,
      skipKey: `rev:${t.table.revision}`,
      refsNew: 1,
      refsGone: 0,
    });
    expect(events.some((e) => e.event === 'crawl.skip_key.miss')).toBe(true);
    // The content read under the unchanged key is kept beside the key's first snapshot, not over it.
    const kept = h.db
      .prepare(
        `SELECT s.revision FROM snapshots s JOIN documents d ON d.id = s.document_id
          WHERE d.type = 'bitable_table' ORDER BY s.id`,
      )
      .pluck()
      .all();
    expect(kept).toEqual([`rev:${t.table.revision}`, `rev:${t.table.revision}~run3`]);
    expect(h.db.prepare('SELECT reason, checked, misses FROM full_reads').all()).toEqual([
      { reason: 'flag', checked: 1, misses: 1 },
    ]);
  });

  it('reads a document whose content was last read longer ago than crawl.fullEvery, and finds the image its drive time did not announce', async () => {
    const t = smallTenant();
    const fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    await h.run();
    const fresh = addMedia(t.tenant, { name: 'quiet.png' }).token;
    // The blocks change; the folder listing's modified_time (the key of a docx found in a folder) does not.
    appendBlocks(t.tenant, t.doc, [block.image(fresh)]);
    const blocksBefore = countRequests(fake, 'docx.blocks');
    await h.run();
    expect(countRequests(fake, 'docx.blocks')).toBe(blocksBefore);
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    h.db.prepare("UPDATE documents SET last_crawled_at = ? WHERE type = 'docx'").run(eightDaysAgo);
    const due = await h.run();
    expect(countRequests(fake, 'docx.blocks')).toBe(blocksBefore + 1);
    expect(due.fullRead).toMatchObject({ reason: 'due', checked: 1, misses: 1 });
    expect(liveMedia(h.db).has(fresh)).toBe(true);
    expect(readSkipKeyChecks(h.db).misses[0]).toMatchObject({ type: 'docx', refsNew: 1 });
    // Read now: the next crawl trusts the key again for a week.
    const after = await h.run();
    expect(after.fullRead).toBeUndefined();
    expect(countRequests(fake, 'docx.blocks')).toBe(blocksBefore + 1);
  });

  it('records nothing when a full read finds what the inventory held, and keeps the snapshot of the key', async () => {
    const t = smallTenant();
    const fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    await h.run();
    const snapshots = h.db.prepare('SELECT document_id, revision, sha256 FROM snapshots ORDER BY id').all();
    const full = await h.run({ full: true });
    expect(full.fullRead?.misses).toBe(0);
    expect(full.fullRead?.checked).toBeGreaterThan(0);
    expect(full.documents.docx).toMatchObject({ unchanged: 1, changed: 0 });
    expect(readSkipKeyChecks(h.db).total).toBe(0);
    expect(h.db.prepare('SELECT document_id, revision, sha256 FROM snapshots ORDER BY id').all()).toEqual(
      snapshots,
    );
  });

  it('records a text edit its key did not announce, from the snapshot kept for the key', async () => {
    const t = smallTenant();
    const fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    await h.run();
    const text = t.doc.blocks.find((b) => b.block_type === 2)!;
    (text.text as { elements: { text_run: { content: string } }[] }).elements[0]!.text_run.content = 'edited';
    const full = await h.run({ full: true });
    expect(full.fullRead?.misses).toBe(1);
    expect(readSkipKeyChecks(h.db).misses[0]).toMatchObject({
      type: 'docx',
      refsNew: 0,
      refsGone: 0,
      contentChanged: 1,
    });
  });

  it('never checks with crawl.fullEvery "off" unless --full is given', async () => {
    const t = smallTenant();
    const fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'bitable', token: t.app.appToken }]);
    h.config.crawl = { fullEveryMs: null };
    await h.run();
    h.db.prepare('UPDATE documents SET last_crawled_at = ?').run('2000-01-01T00:00:00.000Z');
    const again = await h.run();
    expect(again.fullRead).toBeUndefined();
  });
});
