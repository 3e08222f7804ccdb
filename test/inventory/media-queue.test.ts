import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GONE_FROM_FEISHU, MediaQueue, queueQuery } from '../../src/inventory/media-queue.js';
import { type Db, openInventory } from '../../src/inventory/open.js';

function inventory(): Db {
  const db = openInventory(join(mkdtempSync(join(tmpdir(), 'fb-queue-')), 'inventory.db'));
  db.exec(`
    INSERT INTO documents (id, type, token) VALUES (1, 'docx', 'doxLive'), (2, 'docx', 'doxGone');
    INSERT INTO media (id, file_token, status) VALUES
      (1, 'boxLive', 'pending'), (2, 'boxGone', 'pending'), (3, 'boxBoth', 'error'), (4, 'boxNoRef', 'pending');
    INSERT INTO media_refs (media_id, document_id, location, kind, gone_at) VALUES
      (1, 1, 'b1', 'image', NULL), (2, 2, 'b2', 'image', '2026-01-01T00:00:00Z'),
      (3, 2, 'b3', 'image', '2026-01-01T00:00:00Z'), (3, 1, 'b3', 'image', NULL);`);
  return db;
}

function queryPlan(db: Db, sql: string, ...params: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
    (r) => r.detail,
  );
}

describe('the download queue', () => {
  it('leaves out files whose every reference is gone, but not one shared with a live document or never referenced', () => {
    const db = inventory();
    const queue = new MediaQueue(db);
    const tokens: string[] = [];
    for (let row = queue.next(); row; row = queue.next()) tokens.push(row.file_token);
    expect(tokens.sort()).toEqual(['boxBoth', 'boxLive', 'boxNoRef']);
    db.close();
  });

  it('finds its rows through the status index and asks media_refs from an index alone, never scanning a table', () => {
    const db = inventory();
    new MediaQueue(db);
    for (const retryFailed of [false, true]) {
      const plan = queryPlan(db, queueQuery(retryFailed), '[]', 64);
      expect(
        plan.some((d) => /^SEARCH media USING (COVERING )?INDEX media_(status|download_queue) /.test(d)),
      ).toBe(true);
      expect(plan.filter((d) => /^SCAN (media|r)\b/.test(d))).toEqual([]);
      const refs = plan.filter((d) => /^SEARCH r /.test(d));
      expect(refs).toHaveLength(2);
      for (const d of refs) expect(d).toMatch(/^SEARCH r USING COVERING INDEX media_refs_live \(media_id=/);
    }
    // The same probes where status, the plan and --dry-run count what is left out.
    const counted = queryPlan(
      db,
      `SELECT COUNT(*) FROM media WHERE status <> 'done' AND ${GONE_FROM_FEISHU}`,
    );
    const countedRefs = counted.filter((d) => /^SEARCH r /.test(d));
    expect(countedRefs).toHaveLength(2);
    for (const d of countedRefs) expect(d).toContain('COVERING INDEX media_refs_live');
    db.close();
  });
});
