import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeFeishu } from '../fake-feishu/index.js';
import { jsonLines, mediaRows, runCli, startTenant, tempDir, writeConfig } from './helpers.js';

// One backup (with a few forbidden and deleted files) shared by the read-side commands below.
let fake: FakeFeishu;
let dir: string;
let config: string;
let database: string;

beforeAll(async () => {
  fake = await startTenant();
  dir = tempDir();
  config = writeConfig(dir, fake);
  database = join(dir, 'backup', 'inventory.sqlite');
  const r = await runCli(['backup', '--config', config]);
  expect(r.code, r.stderr).toBe(3);
});
afterAll(async () => {
  await fake.close();
});

describe('status', () => {
  it('shows documents by type, media by state, quota used, the last run and the top failure with its fix', async () => {
    const r = await runCli(['status', '--config', config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Documents\s+\d+: .*\d+ documents?/);
    expect(r.stdout).toMatch(/Media\s+\d+ files, .*done \d+/);
    expect(r.stdout).toMatch(/Quota\s+\d+ downloads used today of 10,000/);
    expect(r.stdout).toMatch(/#1\s+backup .* partial {2}exit 3/);
    expect(r.stdout).toMatch(/Top failure reasons\n.*media (not_found|permission)/);
    expect(r.stdout).toMatch(/fix: /);
  });

  it('reads the nightly config even when its secret lives only in the cron environment', async () => {
    const noSecret = join(tempDir(), 'config.json');
    const full = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    delete full.appSecret;
    writeFileSync(noSecret, JSON.stringify({ ...full, outputDir: join(dir, 'backup') }), { mode: 0o600 });
    const r = await runCli(['status', '--config', noSecret]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Media\s+\d+ files/);
  });

  it('with --json prints one status object a script can read', async () => {
    const r = await runCli(['status', '--json', '--config', config]);
    const [status] = jsonLines(r.stdout);
    expect(status?.event).toBe('status');
    const media = status?.media as { total: { count: number } };
    expect(media.total.count).toBe((await mediaRows(database)).length);
  });

  it('works from --database alone, without credentials', async () => {
    const r = await runCli(['status', '--database', database]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Media\s+\d+ files/);
  });
});

describe('export', () => {
  it('writes one JSON row per media file with its sources', async () => {
    const out = join(dir, 'media.json');
    const r = await runCli(['export', '--format', 'json', '--out', out, '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(readFileSync(out, 'utf8')) as {
      fileToken: string;
      sha256: string | null;
      path: string | null;
      sources: { docType: string; docToken: string; location: string }[];
    }[];
    const inventory = await mediaRows(database);
    expect(rows.map((r) => r.fileToken).sort()).toEqual(inventory.map((m) => m.file_token).sort());
    const done = rows.find((r) => r.path);
    expect(done?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.every((r) => r.sources.length > 0 && r.sources.every((s) => s.docType && s.docToken))).toBe(
      true,
    );
  });

  it('writes CSV to stdout with a header and sources flattened into one cell', async () => {
    const r = await runCli(['export', '--format', 'csv', '--config', config]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'fileToken,name,mimeType,size,sha256,status,path,sources,goneFromFeishu,seenAs,sourceTitles,sourceUrls',
    );
    expect(lines.length - 1).toBe((await mediaRows(database)).length);
  });

  it('writes the audit report as one self-contained HTML file embedding every media row, and asks for --out', async () => {
    const out = join(dir, 'audit', 'report.html');
    const r = await runCli(['export', '--format', 'html', '--out', out, '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    // No external assets: nothing is loaded from anywhere but the file itself.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/i);
    const rows = await mediaRows(database);
    expect(r.stdout + r.stderr).toMatch(new RegExp(`${rows.length} media files`));
    expect(html).toContain(fake.url); // the tenant domain it was run against
    const missing = await runCli(['export', '--format', 'html', '--config', config]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--out/);
  });
});

describe('verify', () => {
  it('runs from --database and --output-dir alone, without credentials, and refuses a missing inventory', async () => {
    const r = await runCli(['verify', '--database', database, '--output-dir', join(dir, 'backup')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Verified \d+ files/);
    const none = await runCli(['verify', '--database', join(dir, 'nothing.sqlite'), '--output-dir', dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/No inventory at/);
  });

  it('finds nothing wrong after a backup, then reports a corrupt and a missing file and repairs them', async () => {
    const clean = await runCli(['verify', '--config', config]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/0 missing, 0 corrupt/);

    const done = (await mediaRows(database)).filter((m) => m.status === 'done');
    const [corrupt, missing] = done;
    writeFileSync(join(dir, 'backup', corrupt!.path!), 'not the original bytes');
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'backup', missing!.path!));

    const found = await runCli(['verify', '--config', config]);
    expect(found.code).toBe(3);
    expect(found.stdout).toMatch(/1 missing, 1 corrupt/);
    expect(found.stdout).toContain(corrupt!.path!);

    const repair = await runCli(['verify', '--repair', '--config', config]);
    expect(repair.code).toBe(3);
    expect(repair.stdout).toMatch(/Queued 2 files for download again/);
    const rows = new Map((await mediaRows(database)).map((m) => [m.file_token, m.status]));
    expect(rows.get(corrupt!.file_token)).toBe('pending');
    expect(rows.get(missing!.file_token)).toBe('pending');

    const download = await runCli(['download', '--config', config]);
    expect([0, 3]).toContain(download.code);
    const after = await runCli(['verify', '--config', config]);
    expect(after.code, after.stdout).toBe(0);
  });
});
