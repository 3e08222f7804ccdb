import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropReplaced, keepEarlierCopy, versionLabel } from '../../src/download/keep-version.js';
import { mediaFileName } from '../../src/naming/media-path.js';

const FOLDER = 'media/bo/boxcnFileA';

function outputWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fb-keep-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const row = (over: Partial<Parameters<typeof keepEarlierCopy>[1]> = {}) => ({
  path: `${FOLDER}/a.pdf`,
  sha256: 'old-sha',
  downloaded_version: '1767225600',
  downloaded_at: '2026-01-02T00:00:00.000Z',
  ...over,
});

describe('keeping the copy a new version replaces', () => {
  it('keeps nothing when the new file has the same SHA-256 (a time change without new bytes)', async () => {
    const dir = outputWith({ [`${FOLDER}/a.pdf`]: 'v1' });
    expect(await keepEarlierCopy(dir, row(), `${FOLDER}/a.pdf`, 'old-sha')).toBeUndefined();
    expect(readdirSync(join(dir, FOLDER))).toEqual(['a.pdf']);
  });

  it('keeps it once: a run that stopped after publishing and fetches again does not overwrite the kept copy', async () => {
    const dir = outputWith({ [`${FOLDER}/a.pdf`]: 'v1' });
    const kept = await keepEarlierCopy(dir, row(), `${FOLDER}/a.pdf`, 'new-sha');
    expect(kept).toEqual({
      path: `${FOLDER}/versions/2026-01-01T00-00-00Z/a.pdf`,
      replaced: `${FOLDER}/a.pdf`,
    });
    // The new version was renamed over the old path, then the run died before recording it.
    writeFileSync(join(dir, FOLDER, 'a.pdf.new'), 'v2');
    renameSync(join(dir, FOLDER, 'a.pdf.new'), join(dir, FOLDER, 'a.pdf'));
    expect(await keepEarlierCopy(dir, row(), `${FOLDER}/a.pdf`, 'new-sha')).toEqual(kept);
    expect(readFileSync(join(dir, kept!.path!), 'utf8')).toBe('v1');
  });

  it('leaves alone a recorded path outside the token folder, and a copy that is not on disk', async () => {
    const dir = outputWith({ 'elsewhere/a.pdf': 'v1' });
    expect(
      await keepEarlierCopy(dir, row({ path: 'elsewhere/a.pdf' }), `${FOLDER}/a.pdf`, 'x'),
    ).toBeUndefined();
    expect(await keepEarlierCopy(dir, row(), `${FOLDER}/a.pdf`, 'x')).toBeUndefined();
  });

  it('drops the copy under the old name when only the name changed (same bytes), keeping no version', async () => {
    const dir = outputWith({ [`${FOLDER}/a.pdf`]: 'v1' });
    const kept = await keepEarlierCopy(dir, row(), `${FOLDER}/b.pdf`, 'old-sha');
    expect(kept).toEqual({ path: undefined, replaced: `${FOLDER}/a.pdf` });
    writeFileSync(join(dir, FOLDER, 'b.pdf'), 'v1');
    await dropReplaced(dir, kept!, `${FOLDER}/b.pdf`);
    expect(readdirSync(join(dir, FOLDER))).toEqual(['b.pdf']);
  });

  it('never drops the new file itself: an old name that is the same entry (a case-only rename on a case-insensitive disk)', async () => {
    const dir = outputWith({ [`${FOLDER}/report.pdf`]: 'v2' });
    // As on such a disk: `Report.pdf` names the entry that now holds the new version.
    linkSync(join(dir, FOLDER, 'report.pdf'), join(dir, FOLDER, 'Report.pdf'));
    await dropReplaced(dir, { path: undefined, replaced: `${FOLDER}/Report.pdf` }, `${FOLDER}/report.pdf`);
    expect(readFileSync(join(dir, FOLDER, 'report.pdf'), 'utf8')).toBe('v2');
    expect(readdirSync(join(dir, FOLDER)).sort()).toEqual(['Report.pdf', 'report.pdf']);
  });

  it('never names a stored file like the versions folder beside it, in any case', () => {
    expect(mediaFileName({ serverName: 'versions', fileToken: 'boxcnFileA' })).toBe('versions (boxcnFileA)');
    expect(mediaFileName({ serverName: 'Versions', fileToken: 'boxcnFileA' })).toBe('Versions (boxcnFileA)');
    expect(mediaFileName({ serverName: 'versions.pdf', fileToken: 'boxcnFileA' })).toBe('versions.pdf');
  });

  it('names a version by its Feishu time, or by when it was downloaded when that is all the inventory knows', () => {
    expect(versionLabel(row())).toBe('2026-01-01T00-00-00Z');
    expect(versionLabel(row({ downloaded_version: null }))).toBe('2026-01-02T00-00-00Z-downloaded');
  });
});
