import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mediaRows, runCli, tempDir, writeConfig } from '../cli/helpers.js';
import { demoTenant as demoTenantModel, type FakeFeishu, startFakeFeishu } from '../fake-feishu/index.js';

let fake: FakeFeishu | undefined;

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The tenant `npm run demo` backs up (bench/demo.ts): folders, wiki, real samples, one drive file. */
async function demoTenant(): Promise<FakeFeishu> {
  return startFakeFeishu({ tenant: demoTenantModel() });
}

function demoConfig(dir: string, f: FakeFeishu, archive: Record<string, boolean> = {}): string {
  return writeConfig(dir, f, {
    roots: [
      { type: 'folder', token: f.tenant.rootFolderToken },
      ...f.tenant.wikiSpaces.map((w) => ({ type: 'wiki', spaceId: w.spaceId })),
    ],
    // Pacing off: the fake has no limits here, and the test must be quick.
    limits: {
      downloadQps: 1000,
      concurrency: 8,
      rates: Object.fromEntries(
        ['docx.blocks', 'drive.list', 'bitable.records', 'wiki.nodes', 'board.image'].map((b) => [b, 'off']),
      ),
    },
    archive,
  });
}

describe('backup of the demo tenant', () => {
  it('saves every drive file and whiteboard; only the deliberately forbidden or deleted media fail', async () => {
    fake = await demoTenant();
    const dir = tempDir();
    const r = await runCli(['backup', '--config', demoConfig(dir, fake)]);
    const expected = [...fake.expectedMedia().values()];
    const bad = new Set(expected.filter((m) => m.state !== 'ok').map((m) => m.token));
    expect(bad.size).toBeGreaterThan(0);
    // 3: finished, some files failed, and those are exactly the forbidden or deleted ones.
    expect(r.code, r.stderr).toBe(3);
    const rows = new Map(
      (await mediaRows(join(dir, 'backup', 'inventory.sqlite'))).map((m) => [m.file_token, m]),
    );
    for (const m of expected.filter((e) => e.state === 'ok')) {
      const row = rows.get(m.token);
      expect(row?.status, `${m.kind} ${m.name}`).toBe('done');
      expect(sha256(join(dir, 'backup', row!.path!)), m.name).toBe(m.sha256);
    }
    const drive = expected.filter((e) => e.kind === 'file');
    expect(drive.map((e) => e.name)).toContain('合同 扫描件.pdf');
    expect(expected.some((e) => e.kind === 'board')).toBe(true);
    const failed = [...rows.values()].filter((m) => m.status !== 'done').map((m) => m.file_token);
    expect(failed.every((t) => bad.has(t))).toBe(true);
    expect(r.stdout).not.toMatch(/合同/);
    // The view links each whiteboard image from its document and each drive file from the index.
    const viewDir = join(dir, 'backup', 'view');
    const markdown = readdirSync(viewDir, { recursive: true, encoding: 'utf8' })
      .filter((p) => p.endsWith('.md'))
      .map((p) => readFileSync(join(viewDir, p), 'utf8'))
      .join('\n');
    for (const b of expected.filter((e) => e.kind === 'board' && e.state === 'ok')) {
      expect(markdown, b.token).toContain(`/${b.token}/`);
    }
    const index = decodeURIComponent(readFileSync(join(viewDir, 'index.md'), 'utf8'));
    for (const f of drive.filter((e) => e.state === 'ok')) {
      expect(index).toContain(`](../${rows.get(f.token)!.path!})`);
    }
    expect(r.stdout).toMatch(
      /Quota\s+[\d,]+ of 10,000 media downloads left today .*\n\s{12}[\d,]+ of 10,000 drive-file downloads left/,
    );
  });

  it('with archive.whiteboards and archive.driveFiles off, leaves them out and says so, without failing', async () => {
    fake = await demoTenant();
    for (const m of fake.tenant.media.values()) m.state = 'ok';
    const dir = tempDir();
    const r = await runCli([
      'backup',
      '--config',
      demoConfig(dir, fake, { whiteboards: false, driveFiles: false }),
    ]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/[\d,]+ whiteboards\/drive files left out by option/);
    expect(fake.requestsTo('drive.download')).toHaveLength(0);
    expect(fake.requestsTo('board.image')).toHaveLength(0);
    const skipped = [...fake.expectedMedia().values()].filter((e) => e.kind !== 'media');
    const rows = new Map(
      (await mediaRows(join(dir, 'backup', 'inventory.sqlite'))).map((m) => [m.file_token, m]),
    );
    expect(skipped.length).toBeGreaterThan(0);
    for (const e of skipped) expect(rows.get(e.token)?.status).toBe('pending');
  });
});
