import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/cli/format.js';
import type { FakeFeishu } from '../fake-feishu/index.js';
import {
  BIN,
  mediaRows,
  runCli,
  runRows,
  spawnCli,
  startHealthyTenant,
  startTenant,
  tempDir,
  trickleDownloads,
  writeConfig,
} from './helpers.js';

let fake: FakeFeishu | undefined;

describe('a dry run', () => {
  it('ends with what would happen, downloads nothing, and is recorded as a dry run', async () => {
    fake = await startHealthyTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    const r = await runCli(['backup', '--dry-run', '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /Result\s+dry run: \d+ files, [\d.]+ [KM]?B known( \+ \d+ of unknown size)?, would be\s+downloaded; nothing was downloaded \(exit 0\)/,
    );
    expect(r.stdout).not.toMatch(/everything in scope is backed up/);
    expect(fake.requestsTo('media.download')).toEqual([]);
    const db = join(dir, 'backup', 'inventory.sqlite');
    expect((await runRows(db)).at(-1)).toEqual({ command: 'backup', status: 'dry-run', exit_code: 0 });
    const status = await runCli(['status', '--config', config]);
    expect(status.stdout).toMatch(/#1\s+backup .* dry-run\s+exit 0/);
    expect(status.stdout).not.toMatch(/backup .* ok/);
  });
});

describe('the live display and the summary', () => {
  it('count media files the same way (a file shared by documents once, not per reference)', async () => {
    fake = await startHealthyTenant();
    const dir = tempDir();
    // Every download hangs (1 byte/s), so the run surely reaches its download phase and stays there:
    // the phase change alone makes the next progress line differ, so one is written.
    const inFlight = trickleDownloads(fake, 1);
    const cli = spawnCli(['backup', '--progress-interval', '0.1', '--config', writeConfig(dir, fake)]);
    await inFlight;
    await cli.waitFor(/progress: download\s+\d+ docs\s+\d+ media files/);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
    const live = Number(/progress: download\s+\d+ docs\s+(\d+) media files/.exec(r.stderr)![1]);
    const summary = Number(/Found\s+\d+ documents, (\d+) media files/.exec(r.stdout)![1]);
    const rows = await mediaRows(join(dir, 'backup', 'inventory.sqlite'));
    // The generated tenant shares media between documents: references outnumber files.
    expect(live).toBe(rows.length);
    expect(summary).toBe(rows.length);
  });
});

describe('a run with failures at 80 columns', () => {
  it('keeps every summary line within 80 columns and groups failed files into one warning', async () => {
    fake = await startHealthyTenant();
    // Forbidden and deleted files, a few of each.
    const picked = [...fake.expectedMedia().values()].filter((m) => m.kind === 'media').slice(0, 4);
    picked.forEach((m, i) => {
      fake!.tenant.media.get(m.token)!.state = i % 2 ? 'deleted' : 'forbidden';
    });
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    const r = await runCli(['backup', '--config', config]);
    expect(r.code).toBe(3);
    const bad = [...fake.expectedMedia().values()].filter((m) => m.state !== 'ok');
    expect(bad).toHaveLength(4);
    for (const line of r.stdout.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    expect(r.stdout).toMatch(/Quota\s+[\d,]+ of [\d,]+ media downloads left today \(.*\)\n\s{12}[\d,]+ of/);
    // One line for all the failed files; the summary holds the reasons and fixes.
    expect(r.stderr).toMatch(/warn: \d+ files could not be downloaded; the summary groups them by reason/);
    for (const m of bad) expect(r.stderr).not.toContain(m.token);
    // Right after a crawl, "crawl again" is no fix for a deleted file.
    expect(r.stdout).not.toMatch(/crawl\s+again/);
    const verbose = await runCli(['backup', '--verbose', '--retry-failed', '--config', config]);
    for (const m of bad) expect(verbose.stderr).toContain(m.token);
  });

  it('heads an interrupted run "interrupted", not "finished"', async () => {
    fake = await startHealthyTenant();
    const dir = tempDir();
    const inFlight = trickleDownloads(fake, 100);
    const cli = spawnCli(['backup', '--config', writeConfig(dir, fake)]);
    await inFlight;
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/── backup interrupted after \d+s ─/);
    expect(r.stdout).not.toMatch(/backup finished/);
  });
});

describe('a closed stdout', () => {
  it('ends `export | head` quietly with exit 0, as Unix tools do', async () => {
    fake = await startTenant({ folders: 3, docxPerFolder: 12, sheets: 3, bitables: 2, recordsPerTable: 30 });
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    expect((await runCli(['crawl', '--config', config])).code).toBe(0);
    // More rows than a pipe holds, so the export is still writing when head has gone.
    const r = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      const sh = spawn(
        'bash',
        [
          '-c',
          `"${process.execPath}" "${BIN}" export --format json --config "${config}" | head -n 2; echo "exit \${PIPESTATUS[0]}" >&2`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      sh.stdout.on('data', (d: Buffer) => {
        stdout += d;
      });
      sh.stderr.on('data', (d: Buffer) => {
        stderr += d;
      });
      sh.on('close', (code) => resolve({ code, stderr, stdout }));
    });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(r.stderr).not.toMatch(/EPIPE|error/i);
    expect(r.stderr).toMatch(/exit 0\s*$/);
  });
});
