import { describe, expect, it } from 'vitest';
import {
  addBitable,
  addDocx,
  addMedia,
  addSpreadsheet,
  disableDownload,
  emptyTenant,
  type FakeFeishu,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { runCli, startTenant, tempDir, writeConfig } from './helpers.js';

let fake: FakeFeishu | undefined;

describe('init --check', () => {
  it('confirms working credentials and permissions', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const r = await runCli(['init', '--check', '--config', writeConfig(dir, fake)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok {3}app credentials/);
    expect(r.stdout).toMatch(/ok {3}folder \S+: readable \[drive:drive:readonly\]/);
    expect(r.stdout).not.toContain(fake.appSecret);
  });

  it('names the scope to enable when the app lacks one, and exits 2', async () => {
    fake = await startTenant();
    fake.inject({
      route: 'drive.list',
      fault: { kind: 'error', status: 400, code: 99991672, msg: 'app lacks scope' },
      times: 5,
    });
    const dir = tempDir();
    const r = await runCli(['init', '--check', '--config', writeConfig(dir, fake)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/FAIL folder \S+: missing scope/);
    expect(r.stdout).toMatch(/Enable the scope "drive:drive:readonly"/);
  });

  it('says the credentials are wrong without repeating them', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const wrong = 'not-the-secret-0123456789';
    const r = await runCli(['init', '--check', '--config', writeConfig(dir, fake, {}, false)], {
      env: { FEISHU_APP_SECRET: wrong },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/FAIL app credentials/);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });

  it('probes each root: names each one it cannot read, and exits 7 (a root, not a file)', async () => {
    const tenant = emptyTenant({ seed: 41 });
    const readable = addDocx(tenant, { title: 'Shared', folder: null });
    const noDownloads = addDocx(tenant, { title: 'Read only', folder: null });
    disableDownload(tenant, noDownloads.documentId);
    const hidden = addDocx(tenant, { title: 'Not shared', folder: null });
    tenant.docs.get(hidden.documentId)!.access = 'forbidden';
    const locked = addBitable(tenant, {
      name: 'Locked',
      folder: null,
      tables: [{ advancedPerm: true, records: [{ 附件: [addMedia(tenant).token] }] }],
      appCanManage: false,
    });
    const open = addBitable(tenant, {
      name: 'Open',
      folder: null,
      tables: [{ advancedPerm: true, records: [{ 附件: [addMedia(tenant).token] }] }],
    });
    const inSheet = addBitable(tenant, { name: 'In a sheet', folder: null });
    const ss = addSpreadsheet(tenant, {
      title: 'Holds a base',
      folder: null,
      sheets: [{}, { base: { appToken: inSheet.appToken, tableId: inSheet.tables[0]!.tableId } }],
    });
    fake = await startFakeFeishu({ tenant });
    const dir = tempDir();
    const roots = [
      { type: 'docx', token: readable.documentId },
      { type: 'docx', token: noDownloads.documentId },
      { type: 'docx', token: hidden.documentId },
      { type: 'docx', token: 'doxcnDoesNotExist000000000' },
      { type: 'bitable', token: locked.appToken },
      { type: 'bitable', token: open.appToken },
      { type: 'sheet', token: ss.token },
    ];
    const r = await runCli(['init', '--check', '--config', writeConfig(dir, fake, { roots })]);
    expect(r.code, r.stdout + r.stderr).toBe(7);
    expect(r.stdout).toContain(`ok   docx ${readable.documentId}: readable`);
    expect(r.stdout).toContain(`FAIL docx ${noDownloads.documentId}: download disabled by the document`);
    expect(r.stdout).toMatch(/fix: The document's owner disabled downloads/);
    expect(r.stdout).toContain(`FAIL docx ${hidden.documentId}: not shared with the app`);
    expect(r.stdout).toContain('FAIL docx doxcnDoesNotExist000000000: not found');
    expect(r.stdout).toContain(`FAIL bitable ${locked.appToken}: needs manage rights`);
    expect(r.stdout).toMatch(/fix: Give the app a role with manage rights/);
    expect(r.stdout).toContain(
      `ok   bitable ${open.appToken}: readable, advanced permissions, records visible`,
    );
    expect(r.stdout).toContain(`ok   sheet ${ss.token}: readable, 1 embedded base`);
    expect(r.stdout).toMatch(
      new RegExp(`ok   bitable ${inSheet.appToken} \\(sheet \\w+ of ${ss.token}\\): readable`),
    );
    expect(r.stdout).toMatch(/4 roots cannot be read or downloaded: /);
    expect(r.stdout).not.toMatch(/Download settings were not checked/);
    // One cheap read per root (plus the base checks): nothing listed, nothing downloaded.
    expect(fake.requestsTo('docx.blocks')).toHaveLength(0);
    expect(fake.requestsTo('media.download')).toHaveLength(0);
  });

  it('says once that download settings were not checked when the optional scope is missing, and passes', async () => {
    const tenant = emptyTenant({ seed: 43 });
    const doc = addDocx(tenant, { title: 'Shared', folder: null });
    fake = await startFakeFeishu({ tenant });
    fake.inject({
      route: 'drive.member_auth',
      fault: { kind: 'error', status: 400, code: 99991672, msg: 'app lacks scope' },
    });
    const dir = tempDir();
    const roots = [{ type: 'docx', token: doc.documentId }];
    const r = await runCli(['init', '--check', '--config', writeConfig(dir, fake, { roots })]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`ok   docx ${doc.documentId}: readable`);
    expect(r.stdout).toMatch(/Download settings were not checked: enable "docs:permission.member:auth"/);
  });
});
