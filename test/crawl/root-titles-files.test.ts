import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderView } from '../../src/archive/view/render-view.js';
import type { LogEvent } from '../../src/events.js';
import { exportRows } from '../../src/inventory/export.js';
import { addDriveFile, addSpreadsheet, emptyTenant, startFakeFeishu } from '../fake-feishu/index.js';
import { countRequests, harness } from './harness.js';

/** A spreadsheet and a drive file, each configured as a root by its token and in no folder. */
function tenant() {
  const t = emptyTenant({ seed: 17 });
  const ss = addSpreadsheet(t, { title: 'Budget 2026', sheets: [{ title: 'Q1' }], folder: null });
  const file = addDriveFile(t, { name: 'contract.pdf', folder: null });
  return { t, ss, file };
}

describe('spreadsheet and drive-file roots have their real titles', () => {
  it('names a spreadsheet root (sheets v3 get) and a drive-file root (metas batch_query), one call each per crawl', async () => {
    const { t, ss, file } = tenant();
    const fake = await startFakeFeishu({ tenant: t });
    const h = harness(fake, [
      { type: 'sheet', token: ss.token },
      { type: 'file', token: file.token },
    ]);
    await h.run();
    await h.download();
    expect(countRequests(fake, 'sheets.spreadsheet')).toBe(1);
    expect(countRequests(fake, 'drive.metas')).toBe(1);
    const titles = h.db
      .prepare("SELECT type, title FROM documents WHERE type IN ('sheet', 'file') ORDER BY type")
      .all();
    expect(titles).toEqual([
      { type: 'file', title: 'contract.pdf' },
      { type: 'sheet', title: 'Budget 2026' },
    ]);

    renderView(h.db, h.config.outputDir);
    const view = path.join(h.config.outputDir, 'view');
    expect(existsSync(path.join(view, 'Budget 2026', 'Budget 2026', 'Q1.csv'))).toBe(true);
    expect(existsSync(path.join(view, `Spreadsheet ${ss.token}`))).toBe(false);
    const row = [...exportRows(h.db)].find((r) => r.fileToken === file.token)!;
    expect(row.sources[0]).toMatchObject({ docType: 'file', title: 'contract.pdf' });

    // Renamed in Feishu: the next crawl asks again.
    ss.title = 'Budget 2026 (final)';
    await h.run();
    expect(countRequests(fake, 'sheets.spreadsheet')).toBe(2);
    renderView(h.db, h.config.outputDir);
    expect(existsSync(path.join(view, 'Budget 2026 (final)'))).toBe(true);
  });

  it('keeps the fallback name when Feishu refuses the title, and fails nothing', async () => {
    const { t, ss, file } = tenant();
    const fake = await startFakeFeishu({ tenant: t });
    // As the pages document them: sheets 1310213 Permission Fail (HTTP 400); batch_query answers
    // success and lists the token in failed_list with 970003 (no permission for its metadata).
    fake.inject({
      route: 'sheets.spreadsheet',
      fault: { kind: 'error', status: 400, code: 1310213, msg: 'Permission Fail' },
    });
    file.state = 'forbidden';
    const h = harness(fake, [
      { type: 'sheet', token: ss.token },
      { type: 'file', token: file.token },
    ]);
    const events: LogEvent[] = [];
    const summary = await h.run({ log: (e) => events.push(e) });
    expect(summary.failures).toEqual([]);
    expect(events.filter((e) => e.event === 'crawl.root.untitled')).toHaveLength(2);
    const untitled = h.db
      .prepare("SELECT count(*) FROM documents WHERE type IN ('sheet', 'file') AND title IS NULL")
      .pluck()
      .get();
    expect(untitled).toBe(2);
  });
});
