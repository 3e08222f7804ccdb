import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addMedia } from '../fake-feishu/index.js';
import { runCli, startTenant, tempDir, writeConfig } from './helpers.js';

describe('crawl --full and --record-shapes', () => {
  it('checks the skip keys, lists a miss in status, and writes shapes without a token, name or URL', async () => {
    const fake = await startTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    expect((await runCli(['crawl', '--config', config])).code).toBe(0);

    // An attachment added to a record while the table's revision stays.
    const app = [...fake.tenant.bitables.values()][0]!;
    const table = app.tables.find((t) => t.fields.some((f) => f.type === 17))!;
    const field = table.fields.find((f) => f.type === 17)!;
    const media = addMedia(fake.tenant, {
      name: 'late.jpg',
      ...(table.advancedPerm ? { permTable: { appToken: app.appToken, tableId: table.tableId } } : {}),
    });
    table.records[0]!.fields[field.fieldId] = { attachments: [media.token] };

    const shapesDir = join(dir, 'shapes');
    const full = await runCli(['crawl', '--config', config, '--full', '--record-shapes', shapesDir]);
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toMatch(/--full: \d+ documents read to check the skip keys, 1 had changed/);
    expect(full.stderr).toMatch(/skip key \(rev:\d+\) did not/);

    const status = await runCli(['status', '--config', config]);
    expect(status.stdout).toMatch(/Skip keys\s+1 document changed while the skip key did not/);
    expect(status.stdout).toMatch(/bitable_table .*key rev:\d+, \+1\/-0 media references/);

    const text = readFileSync(join(shapesDir, 'feishu-shapes.json'), 'utf8');
    const file = JSON.parse(text);
    expect(Object.keys(file.endpoints)).toEqual(expect.arrayContaining(['drive.list', 'bitable.records']));
    for (const secret of [media.token, app.appToken, table.tableId, fake.url, 'late.jpg', fake.appId])
      expect(text).not.toContain(secret);
  });
});
