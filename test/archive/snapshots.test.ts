import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/inventory/open.js';
import { smallTenant, touch } from '../crawl/fixtures.js';
import { harness } from '../crawl/harness.js';
import {
  addDocx,
  addMedia,
  appendBlocks,
  block,
  type FakeFeishu,
  startFakeFeishu,
} from '../fake-feishu/index.js';

let fake: FakeFeishu | undefined;

interface Row {
  type: string;
  token: string;
  revision: string;
  path: string;
  bytes: number;
}

function snapshotRows(db: Db): Row[] {
  return db
    .prepare(
      `SELECT d.type, d.token, s.revision, s.path, s.bytes FROM snapshots s
         JOIN documents d ON d.id = s.document_id ORDER BY s.id`,
    )
    .all() as Row[];
}

function readSnapshot(outputDir: string, relative: string): Record<string, unknown> {
  return JSON.parse(gunzipSync(readFileSync(path.join(outputDir, relative))).toString('utf8'));
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('document snapshots', () => {
  it('keeps the raw content of every docx, sheet and bitable table the crawl reads, as gzip JSON', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    await h.run();
    const rows = snapshotRows(h.db);
    expect(rows.map((r) => r.type).sort()).toEqual(['bitable_table', 'docx', 'sheet']);
    const byType = Object.fromEntries(rows.map((r) => [r.type, readSnapshot(h.config.outputDir, r.path)]));
    expect(byType.docx).toMatchObject({ type: 'docx', token: t.doc.documentId, title: 'Doc' });
    expect((byType.docx!.blocks as unknown[]).length).toBe(t.doc.blocks.length);
    const sheet = (
      byType.sheet!.sheets as { sheet_id: string; values: unknown[][]; float_images: unknown[] }[]
    )[0]!;
    expect(sheet.sheet_id).toBe(t.ss.sheets[0]!.sheetId);
    expect(sheet.values).toHaveLength(20);
    expect(sheet.values[0]![0]).toBe('title');
    expect(sheet.float_images).toHaveLength(1);
    const table = byType.bitable_table as {
      fields: { field_name: string }[];
      records: { record_id: string }[];
    };
    expect(table.fields.length).toBe(t.table.fields.length);
    expect(table.records.map((r) => r.record_id)).toEqual(['recAAAA']);
    for (const r of rows) expect(r.bytes).toBe(readFileSync(path.join(h.config.outputDir, r.path)).length);
  });

  it('writes nothing for an unchanged document, and a new snapshot beside the old for a new revision', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    await h.run();
    const snapshotsDir = path.join(h.config.outputDir, 'snapshots');
    const first = filesUnder(snapshotsDir);
    const firstBytes = first.map((f) => readFileSync(path.join(snapshotsDir, f)));
    await h.run();
    expect(snapshotRows(h.db)).toHaveLength(3);
    expect(filesUnder(snapshotsDir)).toEqual(first);

    appendBlocks(t.tenant, t.doc, [block.text('a new paragraph')]);
    touch(t.tenant, t.doc.documentId);
    await h.run();
    const docx = snapshotRows(h.db).filter((r) => r.type === 'docx');
    expect(docx).toHaveLength(2);
    expect(docx[0]!.path).not.toBe(docx[1]!.path);
    const newest = readSnapshot(h.config.outputDir, docx[1]!.path);
    expect(JSON.stringify(newest.blocks)).toContain('a new paragraph');
    // The old snapshot is untouched.
    expect(first.map((f) => readFileSync(path.join(snapshotsDir, f)))).toEqual(firstBytes);
    expect(filesUnder(path.join(snapshotsDir, '.staging'))).toEqual([]);
  });

  it('never publishes a partial snapshot when a crawl is interrupted mid-document, and completes it on resume', async () => {
    const t = smallTenant();
    const content = Array.from({ length: 1199 }, (_, i) =>
      i === 700 ? block.image(addMedia(t.tenant, { name: 'x.png' }).token) : block.text(`p${i}`),
    );
    const big = addDocx(t.tenant, { title: 'Big', folder: t.folder.token, content });
    fake = await startFakeFeishu({ tenant: t.tenant });
    const controller = new AbortController();
    let pages = 0;
    fake.faults.inject({
      route: 'docx.blocks',
      fault: { kind: 'error', status: 500 },
      match: (req) => {
        if (req.path.includes(big.documentId) && ++pages === 2) controller.abort();
        return false;
      },
      // A tap that aborts the crawl, never a fault.
      optional: true,
    });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    const first = await h.run({ signal: controller.signal });
    expect(first.interrupted).toBe(true);
    const bigDir = path.join(h.config.outputDir, 'snapshots', 'docx', big.documentId);
    expect(filesUnder(bigDir)).toEqual([]);
    expect(snapshotRows(h.db).filter((r) => r.token === big.documentId)).toEqual([]);

    const blocksBefore = fake.requests.filter((r) => r.path.includes(`${big.documentId}/blocks`)).length;
    await h.run();
    const blocksAfter = fake.requests.filter((r) => r.path.includes(`${big.documentId}/blocks`)).length;
    expect(blocksAfter - blocksBefore).toBeLessThan(3);
    const [row] = snapshotRows(h.db).filter((r) => r.token === big.documentId);
    const blocks = readSnapshot(h.config.outputDir, row!.path).blocks as { block_id: string }[];
    expect(blocks.map((b) => b.block_id)).toEqual(big.blocks.map((b) => b.block_id));
    expect(filesUnder(path.join(h.config.outputDir, 'snapshots', '.staging'))).toEqual([]);
  });

  it('takes no snapshots and reads bitable records as before when snapshots are off', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    h.config.archive = { snapshots: false, view: false, whiteboards: true, driveFiles: true };
    await h.run();
    expect(snapshotRows(h.db)).toEqual([]);
    expect(existsSync(path.join(h.config.outputDir, 'snapshots'))).toBe(false);
  });

  it('takes the snapshot of an unchanged document once, when snapshots are turned on for an existing inventory', async () => {
    const t = smallTenant();
    fake = await startFakeFeishu({ tenant: t.tenant });
    const h = harness(fake, [{ type: 'folder', token: t.folder.token }]);
    h.config.archive = { snapshots: false, view: false, whiteboards: true, driveFiles: true };
    await h.run();
    delete h.config.archive;
    await h.run();
    expect(snapshotRows(h.db)).toHaveLength(3);
    const before = fake.requests.length;
    await h.run();
    expect(fake.requests.slice(before).filter((r) => r.route === 'docx.blocks')).toEqual([]);
    expect(snapshotRows(h.db)).toHaveLength(3);
  });
});
