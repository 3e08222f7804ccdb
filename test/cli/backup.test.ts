import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addDocx,
  addFolder,
  addMedia,
  block,
  emptyTenant,
  type FakeFeishu,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import {
  jsonLines,
  makeHealthy,
  mediaRows,
  runCli,
  runRows,
  startTenant,
  tempDir,
  writeConfig,
} from './helpers.js';

let fake: FakeFeishu | undefined;

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('backup', () => {
  it('backs up every file of a healthy tenant, exits 0, and a second run downloads nothing', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const dir = tempDir();
    const config = writeConfig(dir, fake, {}, false);
    const env = { FEISHU_APP_SECRET: fake.appSecret };

    const first = await runCli(['backup', '--config', config], { env });
    expect(first.stderr + first.stdout).not.toContain(fake.appSecret);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Result\s+everything in scope is backed up \(exit 0\)/);

    const expected = [...fake.expectedMedia().values()];
    const rows = new Map(
      (await mediaRows(join(dir, 'backup', 'inventory.sqlite'))).map((r) => [r.file_token, r]),
    );
    for (const m of expected) {
      const row = rows.get(m.token);
      expect(row?.status, m.token).toBe('done');
      expect(sha256(join(dir, 'backup', row!.path!))).toBe(m.sha256);
    }

    const downloadsBefore =
      fake.requestsTo('media.download').length + fake.requestsTo('drive.download').length;
    const second = await runCli(['backup', '--config', config], { env });
    expect(second.code).toBe(0);
    expect(fake.requestsTo('media.download').length + fake.requestsTo('drive.download').length).toBe(
      downloadsBefore,
    );
    expect(await runRows(join(dir, 'backup', 'inventory.sqlite'))).toEqual([
      { command: 'backup', status: 'ok', exit_code: 0 },
      { command: 'backup', status: 'ok', exit_code: 0 },
    ]);
  });

  it('exits 3 when some files fail, naming each reason with its fix', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const r = await runCli(['backup', '--config', writeConfig(dir, fake)]);
    const bad = [...fake.expectedMedia().values()].filter((m) => m.state !== 'ok');
    expect(bad.length).toBeGreaterThan(0);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/Failed\s+\d+ \(by reason\)/);
    expect(r.stdout).toMatch(/fix: /);
  });

  it('with --json writes only JSON events, ending with the run summary, and never the secret', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const dir = tempDir();
    const r = await runCli(['backup', '--json', '--config', writeConfig(dir, fake)]);
    expect(r.code).toBe(0);
    const events = jsonLines(r.stdout);
    expect(
      events.every(
        (e) => typeof e.event === 'string' && typeof e.level === 'string' && typeof e.time === 'string',
      ),
    ).toBe(true);
    const last = events.at(-1)!;
    expect(last.event).toBe('run.summary');
    expect(last.exitCode).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(fake.appSecret);
    expect(r.stdout).not.toMatch(/\bt-[A-Za-z0-9._-]{20,}/);
    // Nor in the inventory: its database and WAL hold no secret.
    for (const file of ['inventory.sqlite', 'inventory.sqlite-wal']) {
      const path = join(dir, 'backup', file);
      if (existsSync(path)) expect(readFileSync(path).includes(fake.appSecret)).toBe(false);
    }
  });

  it('with --quiet prints only the summary, and with --verbose also debug events', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    const quiet = await runCli(['backup', '--quiet', '--config', config]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toMatch(/Result\s+everything in scope is backed up/);
    const verbose = await runCli(['crawl', '--verbose', '--config', config]);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toMatch(/debug: /);
  });

  it('with --dry-run plans the download without a single download call', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const r = await runCli(['backup', '--dry-run', '--config', writeConfig(dir, fake)]);
    expect(r.code, r.stderr).toBe(0);
    expect(fake.requestsTo('media.download')).toHaveLength(0);
    expect(fake.requestsTo('drive.download')).toHaveLength(0);
    expect(r.stdout).toMatch(/Would fetch\s+\d+ files/);
    expect(r.stdout).toMatch(/Would download:/);
  });

  it('stops at --max-downloads with exit 5, and the next run finishes the job', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const dir = tempDir();
    const config = writeConfig(dir, fake, { limits: { concurrency: 1, downloadQps: 1000 } });
    const first = await runCli(['backup', '--max-downloads', '3', '--config', config]);
    expect(first.code, first.stderr).toBe(5);
    expect(first.stdout).toMatch(/run budget was reached/);
    const done = (await mediaRows(join(dir, 'backup', 'inventory.sqlite'))).filter(
      (m) => m.status === 'done',
    );
    expect(done).toHaveLength(3);
    const second = await runCli(['download', '--config', config]);
    expect(second.code).toBe(0);
    const rows = await mediaRows(join(dir, 'backup', 'inventory.sqlite'));
    expect(rows.every((m) => m.status === 'done')).toBe(true);
  });

  it('exits 4 when the daily download quota is spent with work left', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const dir = tempDir();
    const r = await runCli([
      'backup',
      '--config',
      writeConfig(dir, fake, { limits: { downloadsPerDay: 2, downloadQps: 1000 } }),
    ]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toMatch(/download quota is spent/);
    // Media and drive-file downloads each have their own daily counter (both default to downloadsPerDay).
    expect(fake.requestsTo('media.download').length).toBeLessThanOrEqual(2);
    expect(fake.requestsTo('drive.download').length).toBeLessThanOrEqual(2);
  });

  it('exits 0 when the only files left are in a document deleted from Feishu, never asking for them, and says so', async () => {
    const tenant = emptyTenant({ seed: 5 });
    const folder = addFolder(tenant, { name: 'Team' });
    const plan = addMedia(tenant, { name: 'plan.png' });
    const logo = addMedia(tenant, { name: 'logo.png' });
    const plans = addDocx(tenant, {
      title: 'Plans',
      folder: folder.token,
      content: [block.image(plan.token), block.image(logo.token)],
    });
    addDocx(tenant, { title: 'Notes', folder: folder.token, content: [block.image(logo.token)] });
    fake = await startFakeFeishu({ tenant });
    const dir = tempDir();
    const config = writeConfig(dir, fake, { roots: [{ type: 'folder', token: folder.token }] });
    const crawl = await runCli(['crawl', '--config', config]);
    expect(crawl.code, crawl.stderr).toBe(0);

    // Deleted in Feishu before anything was downloaded: its own file goes with it.
    tenant.drive.delete(plans.documentId);
    plans.access = 'deleted';
    plan.state = 'deleted';
    const gone = /1 file left out because its document is gone from Feishu/;
    const dry = await runCli(['backup', '--dry-run', '--config', config]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Would fetch\s+1 file,/);
    // Image blocks carry no name: the list shows tokens until a download learns the names.
    expect(dry.stdout).toContain(`Would download:\n         ?  ${logo.token}\n──`);
    expect(dry.stdout).toMatch(new RegExp(`Skipped\\s+${gone.source}`));

    const r = await runCli(['backup', '--config', config]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(fake.requestsTo('media.download').map((q) => q.path)).toEqual([
      `/open-apis/drive/v1/medias/${logo.token}/download`,
    ]);
    expect(r.stdout).toMatch(gone);
    expect(r.stdout).toMatch(/Failed\s+none/);
    expect(r.stdout).toMatch(/Left\s+nothing/);
    expect(r.stdout).toMatch(/Result\s+everything in scope is backed up \(exit 0\)/);
    const rows = await mediaRows(join(dir, 'backup', 'inventory.sqlite'));
    expect(rows.map((m) => [m.file_token, m.status])).toEqual([
      [plan.token, 'pending'],
      [logo.token, 'done'],
    ]);

    const status = await runCli(['status', '--config', config]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(gone);
  });

  it('exits 2 on wrong credentials without echoing them', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const wrong = 'wrong-secret-value-0123456789';
    const r = await runCli(['backup', '--config', writeConfig(dir, fake, {}, false)], {
      env: { FEISHU_APP_SECRET: wrong },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fix: /);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });
});
