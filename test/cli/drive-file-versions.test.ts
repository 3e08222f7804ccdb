import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addDriveFile,
  addFolder,
  emptyTenant,
  type FakeFeishu,
  mediaBytes,
  mediaContentKey,
  startFakeFeishu,
  uploadNewVersion,
} from '../fake-feishu/index.js';
import { mediaRows, runCli, tempDir, writeConfig } from './helpers.js';

let fake: FakeFeishu | undefined;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('backup of a drive file that got a new version', () => {
  it('names the new version in the dry run and in status, then fetches it once and keeps the old copy', async () => {
    const tenant = emptyTenant({ seed: 31 });
    const folder = addFolder(tenant, { name: 'Contracts' });
    const file = addDriveFile(tenant, { name: 'contract.pdf', size: 6000, folder: folder.token });
    fake = await startFakeFeishu({ tenant });
    const dir = tempDir();
    const config = writeConfig(dir, fake);
    const backupDir = join(dir, 'backup');
    const database = join(backupDir, 'inventory.sqlite');

    const first = await runCli(['backup', '--config', config]);
    expect(first.code, first.stderr).toBe(0);
    expect(fake.requestsTo('drive.download')).toHaveLength(1);
    const oldBytes = mediaBytes(tenant.seed, file.token, 0, 6000);
    const [before] = await mediaRows(database);
    expect(before).toMatchObject({ status: 'done', sha256: sha256(oldBytes) });

    uploadNewVersion(tenant, file.token, { size: 6500 });
    const dry = await runCli(['backup', '--dry-run', '--config', config]);
    expect(dry.code, dry.stderr).toBe(0);
    // The summary wraps at 80 columns: read it as one line.
    const drySummary = dry.stdout.replace(/\s+/g, ' ');
    expect(drySummary).toMatch(/Crawled .*1 new version of a drive file/);
    expect(drySummary).toMatch(/Would fetch 1 file, .*of which 1 new version of a drive file/);
    expect(fake.requestsTo('drive.download')).toHaveLength(1);

    const status = await runCli(['status', '--config', config]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/1 new version of a drive file to fetch/);

    const second = await runCli(['backup', '--config', config]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Downloaded\s+1 file,/);
    expect(fake.requestsTo('drive.download')).toHaveLength(2);
    const newBytes = mediaBytes(tenant.seed, mediaContentKey(file), 0, 6500);
    const [after] = await mediaRows(database);
    expect(after).toMatchObject({ status: 'done', path: before!.path, sha256: sha256(newBytes) });
    expect(readFileSync(join(backupDir, after!.path!)).equals(newBytes)).toBe(true);
    const versions = join(backupDir, after!.path!, '..', 'versions');
    const [label] = readdirSync(versions);
    expect(readFileSync(join(versions, label!, 'contract.pdf')).equals(oldBytes)).toBe(true);

    const third = await runCli(['backup', '--config', config]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).not.toMatch(/new version/);
    expect(fake.requestsTo('drive.download')).toHaveLength(2);
  });
});
