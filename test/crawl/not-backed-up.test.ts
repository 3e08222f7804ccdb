import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/commands/status.js';
import { exitCodeFor, renderSummary } from '../../src/cli/summary.js';
import { readStatus, type StatusReport } from '../../src/inventory/status.js';
import { collectReportData } from '../../src/report/collect.js';
import { renderReportHtml } from '../../src/report/render.js';
import {
  addBitable,
  addDocx,
  addMedia,
  addSpreadsheet,
  appendBlocks,
  block,
  cell,
  emptyTenant,
  mediaBytes,
  mediaSha256,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { harness } from './harness.js';

/** Issue 18: nothing media-shaped is dropped without a word. */

const status = (h: ReturnType<typeof harness>): StatusReport => readStatus(h.db, { day: '2026-01-01' });

function exitCode(h: ReturnType<typeof harness>): number {
  return exitCodeFor({
    command: 'crawl',
    dryRun: false,
    interrupted: false,
    after: status(h),
    outputDir: h.config.outputDir,
    database: h.config.database,
  });
}

function rows(h: ReturnType<typeof harness>): unknown[] {
  return h.db
    .prepare(
      `SELECT d.token AS doc, u.location, u.kind, u.reason, u.detail FROM unbackable_objects u
         JOIN documents d ON d.id = u.document_id WHERE u.gone_at IS NULL ORDER BY u.location`,
    )
    .all();
}

describe('media-shaped objects nothing can download', () => {
  it('counts a cell image that came without a file token, and an unknown cell object type, with their cells', async () => {
    const tenant = emptyTenant({ seed: 18 });
    const img = addMedia(tenant);
    const ss = addSpreadsheet(tenant, {
      title: 'Budget',
      sheets: [
        {
          cells: [
            [0, 0, cell.image(img.token)],
            [1, 1, cell.imageWithoutToken()],
            [
              2,
              2,
              [{ type: 'text', text: 'see ' }, cell.unknownObject('embed-video', { fileToken: 'boxcnV' })],
            ],
            [3, 0, { type: 'url', text: 'x', link: 'https://example.com' }],
          ],
        },
      ],
    });
    const sid = ss.sheets[0]!.sheetId;
    const fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'sheet', token: ss.token }]);
    const summary = await h.run();

    expect(rows(h)).toEqual([
      { doc: ss.token, location: `${sid}!B2`, kind: 'sheet_image', reason: 'no_token', detail: null },
      {
        doc: ss.token,
        location: `${sid}!C3[1]`,
        kind: 'sheet_object',
        reason: 'unknown_type',
        detail: 'embed-video',
      },
    ]);
    expect(summary.unbackable).toBe(2);
    const s = status(h);
    expect(s.unbackable?.total).toBe(2);
    expect(s.unbackable?.groups.map((g) => g.text).sort()).toEqual([
      '1 cell images came without a file token: not backed up',
      '1 cell objects of a type we do not know (embed-video): not backed up',
    ]);
    expect(s.unbackable!.groups[0]!.documents[0]).toMatchObject({ type: 'sheet', token: ss.token });
    // Part of "some things failed", in the summary and in `status`.
    expect(exitCode(h)).toBe(3);
    const text = renderStatus(s, h.config.database, h.config.outputDir, 'Asia/Shanghai');
    expect(text).toContain('2 media-shaped objects could not be backed up (runs exit 3)');
    expect(text).toContain('cell images came without a file token: not backed up');
    expect(text).toContain(`${sid}!B2`);
    expect(text).toContain('--record-shapes');
    const report = {
      command: 'crawl',
      dryRun: false,
      durationMs: 1,
      interrupted: false,
      crawl: summary,
      after: s,
    };
    expect(renderSummary({ ...report, outputDir: 'o', database: 'd' }, 3)).toContain(
      'cell objects of a type we do not know (embed-video): not backed up',
    );
    // The image that has its token is still found and downloaded as before.
    expect(h.db.prepare('SELECT file_token FROM media').pluck().all()).toEqual([img.token]);
  });

  it('counts an unknown docx block type that carries a token, by type, and forgets it once the block is gone', async () => {
    const tenant = emptyTenant({ seed: 18 });
    const doc = addDocx(tenant, {
      title: 'Plan',
      content: [
        block.text('hello'),
        block.unknown(99, 'future_media', 'boxcnFuture1'),
        block.unknown(99, 'future_media', 'boxcnFuture2'),
        block.image(''),
      ],
    });
    const fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'docx', token: doc.documentId }]);
    await h.run();

    const s = status(h);
    expect(s.unbackable?.groups.map((g) => [g.kind, g.detail, g.count])).toEqual([
      ['docx_block', 'block_type 99 future_media', 2],
      ['docx_image', null, 1],
    ]);
    expect(s.unbackable!.groups[0]!.text).toBe(
      '2 docx blocks of a type we do not handle carry a token (block_type 99 future_media): not backed up',
    );
    expect(exitCode(h)).toBe(3);
    const html = renderReportHtml(
      collectReportData(h.db, {
        outputDir: h.config.outputDir,
        reportPath: join(h.config.outputDir, 'r.html'),
        baseUrl: fake.url,
        roots: [],
      }),
    );
    expect(html).toContain('docx blocks of a type we do not handle carry a token');
    expect(html).toContain('Plan');

    // The document is edited: the blocks are removed; the next complete read marks them gone.
    doc.blocks = doc.blocks.filter((b) => b.block_type !== 99 && b.block_type !== 27);
    doc.blocks[0]!.children = doc.blocks.slice(1).map((b) => b.block_id);
    appendBlocks(tenant, doc, [block.text('edited')]);
    await h.run();
    expect(rows(h)).toEqual([]);
    expect(status(h).unbackable?.total).toBe(0);
    expect(exitCode(h)).toBe(0);
  });

  it('stops counting what sat in a document deleted from Feishu', async () => {
    const tenant = emptyTenant({ seed: 18 });
    const ss = addSpreadsheet(tenant, {
      title: 'Old',
      sheets: [{ cells: [[0, 0, cell.imageWithoutToken()]] }],
    });
    const fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'folder', token: tenant.rootFolderToken }]);
    await h.run();
    expect(status(h).unbackable?.total).toBe(1);
    tenant.drive.delete(ss.token);
    tenant.sheets.delete(ss.token);
    await h.run();
    expect(h.db.prepare('SELECT status FROM documents WHERE token = ?').pluck().get(ss.token)).toBe('gone');
    expect(status(h).unbackable).toEqual({ total: 0, groups: [] });
    expect(exitCode(h)).toBe(0);
  });

  it('shows a server-provided type with control characters harmlessly on the terminal', async () => {
    const tenant = emptyTenant({ seed: 18 });
    addSpreadsheet(tenant, {
      title: 'T\u001b[2J',
      sheets: [{ cells: [[0, 0, cell.unknownObject('x\u001b[31m')]] }],
    });
    const fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'folder', token: tenant.rootFolderToken }]);
    await h.run();
    const text = renderStatus(status(h), 'db', 'out', 'Asia/Shanghai');
    expect(text).toContain('cell objects of a type we do not know (x?[31m)');
    expect(text).not.toContain('\u001b');
  });

  it('counts a bitable attachment listed without a file_token, at its record and field', async () => {
    const tenant = emptyTenant({ seed: 18 });
    const ok = addMedia(tenant);
    const lost = addMedia(tenant, { listedWithoutToken: true });
    const app = addBitable(tenant, {
      name: 'Base',
      tables: [{ records: [{ 名称: 'a', 附件: [ok.token, lost.token] }] }],
    });
    const fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'bitable', token: app.appToken }]);
    await h.run();
    const table = app.tables[0]!;
    expect(rows(h)).toEqual([
      {
        doc: `${app.appToken}_${table.tableId}`,
        location: `${table.records[0]!.recordId}/${table.fields[1]!.fieldId}[1]`,
        kind: 'bitable_attachment',
        reason: 'no_token',
        detail: null,
      },
    ]);
    expect(status(h).unbackable!.groups[0]!.text).toBe(
      '1 bitable attachments came without a file token: not backed up',
    );
    expect(h.db.prepare('SELECT file_token FROM media').pluck().all()).toEqual([ok.token]);
    expect([...fake.expectedMedia().keys()]).toEqual([ok.token]);
    expect(exitCode(h)).toBe(3);
  });
});

describe('a listed size is a hint', () => {
  it('backs up a bitable attachment whose listed size is off by a few bytes with the server bytes, and says so', async () => {
    const tenant = emptyTenant({ seed: 18 });
    const m = addMedia(tenant, {
      name: 'scan.pdf',
      mimeType: 'application/pdf',
      size: 30_000,
      listedSize: 30_003,
    });
    const app = addBitable(tenant, {
      name: 'Contracts',
      tables: [{ records: [{ 名称: 'a', 附件: [m.token] }] }],
    });
    const fake = await startFakeFeishu({ tenant });
    const h = harness(fake, [{ type: 'bitable', token: app.appToken }]);
    await h.run();
    expect(h.db.prepare('SELECT size FROM media WHERE file_token = ?').pluck().get(m.token)).toBe(30_003);

    const d = await h.download();
    expect(d.downloaded).toBe(1);
    const row = h.db
      .prepare('SELECT status, size, bytes_on_disk, sha256, path FROM media WHERE file_token = ?')
      .get(m.token) as { status: string; size: number; bytes_on_disk: number; sha256: string; path: string };
    // Both sizes are kept: the listing's, and the bytes the server sent.
    expect(row).toMatchObject({ status: 'done', size: 30_003, bytes_on_disk: 30_000 });
    const onDisk = readFileSync(join(h.config.outputDir, row.path));
    expect(onDisk.equals(mediaBytes(tenant.seed, m.token, 0, 30_000))).toBe(true);
    expect(row.sha256).toBe(mediaSha256(tenant.seed, m.token, 30_000));
    expect(createHash('sha256').update(onDisk).digest('hex')).toBe(row.sha256);
    // One request: no refusal, no retry.
    expect(fake.requests.filter((r) => r.route === 'media.download')).toHaveLength(1);

    const s = status(h);
    expect(s.sizeDiffers).toEqual({
      count: 1,
      files: [{ fileToken: m.token, name: 'scan.pdf', listedSize: 30_003, bytes: 30_000 }],
    });
    expect(renderStatus(s, 'db', 'out', 'Asia/Shanghai')).toContain(
      `${m.token} scan.pdf: listed 30,003 bytes, got 30,000`,
    );
    // Not a failure: the file is backed up.
    expect(s.failures).toEqual([]);
    expect(exitCode(h)).toBe(0);
  });
});
