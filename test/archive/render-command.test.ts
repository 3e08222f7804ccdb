import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHealthy, runCli, startTenant, tempDir, writeConfig } from '../cli/helpers.js';
import type { FakeFeishu } from '../fake-feishu/index.js';

let fake: FakeFeishu | undefined;

function viewEntries(outputDir: string): string[] {
  return readdirSync(join(outputDir, 'view'), { recursive: true }).map(String).sort();
}

describe('feishu-backup render', () => {
  it('backup leaves a view; render regenerates it offline from a config with no credentials or roots', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    const backup = await runCli(['backup', '--config', config]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/View\s+\d+ documents/);
    const outputDir = join(dir, 'backup');
    // A complete run leaves no empty work folders behind.
    expect(existsSync(join(outputDir, '.partial'))).toBe(false);
    expect(existsSync(join(outputDir, 'snapshots', '.staging'))).toBe(false);
    const before = viewEntries(outputDir);
    expect(before).toContain('index.md');
    expect(before.some((e) => e.endsWith('.md') && e !== 'index.md')).toBe(true);

    const status = await runCli(['status', '--config', config]);
    expect(status.stdout).toMatch(/Snapshots\s+[1-9]\d* document revisions/);

    // The tenant is gone: render must not need it.
    await fake.close();
    const offline = join(dir, 'offline.json');
    writeFileSync(offline, JSON.stringify({ outputDir: './backup' }));
    rmSync(join(outputDir, 'view'), { recursive: true });
    const render = await runCli(['render', '--config', offline]);
    expect(render.code, render.stderr).toBe(0);
    expect(viewEntries(outputDir)).toEqual(before);
  });

  it('renders from --output-dir alone, and says what to pass when given nothing', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const dir = tempDir();
    const config = writeConfig(dir, fake, { archive: { view: false } });
    expect((await runCli(['backup', '--config', config])).code).toBe(0);
    const outputDir = join(dir, 'backup');
    expect(existsSync(join(outputDir, 'view'))).toBe(false);

    const render = await runCli(['render', '--output-dir', outputDir]);
    expect(render.code, render.stderr).toBe(0);
    expect(render.stdout).toMatch(/Links\s+\d+ to local copies/);
    expect(existsSync(join(outputDir, 'view', 'index.md'))).toBe(true);

    const lost = await runCli(['render'], { cwd: dir });
    expect(lost.code).toBe(2);
    expect(lost.stderr).toMatch(/--output-dir/);
  });
});
