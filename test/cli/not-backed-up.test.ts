import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addBitable,
  addMedia,
  addSpreadsheet,
  cell,
  emptyTenant,
  type FakeFeishu,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { jsonLines, runCli, tempDir, writeConfig } from './helpers.js';

let fake: FakeFeishu | undefined;

describe('what cannot be backed up is said, by the CLI', () => {
  it('a backup that meets a cell image without a file token exits 3 and names it in the summary, status and report', async () => {
    const tenant = emptyTenant({ seed: 18 });
    const img = addMedia(tenant);
    addSpreadsheet(tenant, {
      title: 'Budget',
      sheets: [
        {
          cells: [
            [0, 0, cell.image(img.token)],
            [4, 1, cell.imageWithoutToken()],
          ],
        },
      ],
    });
    const scan = addMedia(tenant, {
      name: 'scan.pdf',
      mimeType: 'application/pdf',
      size: 9_000,
      listedSize: 9_004,
    });
    addBitable(tenant, { name: 'Contracts', tables: [{ records: [{ 名称: 'a', 附件: [scan.token] }] }] });
    fake = await startFakeFeishu({ tenant });
    const dir = tempDir();
    const config = writeConfig(dir, fake);

    const r = await runCli(['backup', '--config', config]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/Not saved\s+1 media-shaped object could not be backed up/);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      'Result finished, but 1 media-shaped object could not be backed up (see Not saved): no API call downloads it.',
    );
    expect(r.stdout).toContain('cell images came without a file token: not backed up');
    expect(r.stdout).toContain("Sizes       1 file's size differs from the listing");
    // Both files that have a token are on disk; the one whose listing is off with the server's bytes.
    expect(r.stdout).toMatch(/Downloaded\s+2 files/);

    const s = await runCli(['status', '--json', '--config', config]);
    const [status] = jsonLines(s.stdout);
    expect(status?.unbackable).toMatchObject({
      total: 1,
      groups: [{ kind: 'sheet_image', reason: 'no_token' }],
    });
    expect(status?.sizeDiffers).toMatchObject({ count: 1, files: [{ listedSize: 9_004, bytes: 9_000 }] });

    const out = join(dir, 'report.html');
    const e = await runCli(['export', '--format', 'html', '--out', out, '--config', config]);
    expect(e.code, e.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('1 cell images came without a file token: not backed up');
    expect(html).toContain('size differs from the listing');
  });
});
