import { describe, expect, it } from 'vitest';
import { readStatus } from '../../src/inventory/status.js';
import { harness } from '../crawl/harness.js';
import {
  addDocx,
  addFolder,
  addMedia,
  block,
  disableDownload,
  emptyTenant,
  type FakeFeishu,
  startFakeFeishu,
} from '../fake-feishu/index.js';

interface Row {
  status: string;
  error_kind: string | null;
  error_message: string | null;
  error_fix: string | null;
  path: string | null;
}

const row = (h: ReturnType<typeof harness>, token: string): Row =>
  h.db
    .prepare('SELECT status, error_kind, error_message, error_fix, path FROM media WHERE file_token = ?')
    .get(token) as Row;

/** Two documents in one folder, two images each; `locked` is the one whose owner may forbid downloads. */
async function twoDocuments() {
  const tenant = emptyTenant({ seed: 11 });
  const folder = addFolder(tenant, { name: 'Team' });
  const img = () => addMedia(tenant, { name: 'p.png' }).token;
  const lockedImages = [img(), img()];
  const openImages = [img(), img()];
  const locked = addDocx(tenant, {
    title: 'Locked',
    folder: folder.token,
    content: lockedImages.map((t) => block.image(t)),
  });
  const open = addDocx(tenant, {
    title: 'Open',
    folder: folder.token,
    content: openImages.map((t) => block.image(t)),
  });
  const fake: FakeFeishu = await startFakeFeishu({ tenant });
  const h = harness(fake, [{ type: 'folder', token: folder.token }]);
  return { tenant, fake, h, locked, open, lockedImages, openImages };
}

describe('a download the document forbids', () => {
  it('is recorded as "download disabled by the document", with its own fix, once asked per document', async () => {
    const t = await twoDocuments();
    disableDownload(t.tenant, t.locked.documentId);
    await t.h.run();
    await t.h.download();
    for (const token of t.lockedImages) {
      const r = row(t.h, token);
      expect(r).toMatchObject({ status: 'failed', error_kind: 'download_disabled', path: null });
      expect(r.error_message).toMatch(/download disabled by the document/);
      expect(r.error_fix).toMatch(/Who can create copies, print and download/);
      expect(r.error_fix).not.toMatch(/add the app as a collaborator/);
    }
    for (const token of t.openImages) expect(row(t.h, token).status).toBe('done');
    // One view and one print question for the locked document, none for the open one.
    const asked = t.fake.requestsTo('drive.member_auth').map((r) => [r.path.split('/')[5], r.query.action]);
    expect(asked).toEqual([
      [t.locked.documentId, 'view'],
      [t.locked.documentId, 'print'],
    ]);
    const failures = readStatus(t.h.db, { day: '2026-01-01' }).failures;
    expect(failures.find((f) => f.kind === 'download_disabled')).toMatchObject({
      subject: 'media',
      count: 2,
    });
  });

  it('says "not a collaborator" when the app can no longer view the document', async () => {
    const t = await twoDocuments();
    await t.h.run();
    t.locked.access = 'forbidden';
    for (const token of t.lockedImages) t.tenant.media.get(token)!.state = 'forbidden';
    await t.h.download();
    const r = row(t.h, t.lockedImages[0]!);
    expect(r).toMatchObject({ status: 'failed', error_kind: 'permission' });
    expect(r.error_message).toMatch(/not a collaborator/);
    expect(r.error_fix).toMatch(/add the app as a collaborator/);
    expect(r.error_fix).not.toMatch(/Who can create copies/);
  });

  it('leaves both causes in the fix when the app may not ask (scope docs:permission.member:auth missing)', async () => {
    const t = await twoDocuments();
    disableDownload(t.tenant, t.locked.documentId);
    await t.h.run();
    t.fake.faults.inject({
      route: 'drive.member_auth',
      fault: {
        kind: 'error',
        status: 400,
        code: 99991672,
        msg: 'Access denied. One of the scopes is required',
      },
    });
    await t.h.download();
    const r = row(t.h, t.lockedImages[0]!);
    expect(r).toMatchObject({ status: 'failed', error_kind: 'permission' });
    expect(r.error_fix).toMatch(/collaborator/);
    expect(r.error_fix).toMatch(/docs:permission\.member:auth/);
    // The probe is not repeated for the document's second file.
    expect(t.fake.requestsTo('drive.member_auth')).toHaveLength(1);
  });
});
