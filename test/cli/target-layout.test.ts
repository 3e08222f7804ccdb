import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addDriveFile,
  appendBlocks,
  block,
  type FakeFeishu,
  mediaBytes,
  uploadNewVersion,
} from '../fake-feishu/index.js';
import { getBytes, sha } from '../target/fixture.js';
import { s3Client, startS3, type TestS3 } from '../target/s3rver.js';
import { makeHealthy, runCli, startTenant, tempDir, writeConfig } from './helpers.js';

let s3: TestS3 | undefined;
let fake: FakeFeishu | undefined;

afterEach(async () => {
  await s3?.close();
  await fake?.close();
  s3 = undefined;
  fake = undefined;
});

function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile());
}

interface Manifest {
  token: string;
  type: string;
  title: string | null;
  snapshot: string | null;
  media: {
    token: string;
    name: string | null;
    key: string | null;
    size: number | null;
    sha256: string | null;
  }[];
}

function uploadedAt(database: string): Map<string, string> {
  const db = new Database(database, { readonly: true });
  const rows = db
    .prepare(`SELECT object_key AS key, uploaded_at AS at FROM target_objects WHERE status = 'done'`)
    .all() as { key: string; at: string }[];
  db.close();
  return new Map(rows.map((r) => [r.key, r.at]));
}

describe('the bucket mirrors the whole local layout', () => {
  it('uploads the view, kept versions and one manifest per document; a rerun uploads only what changed', async () => {
    fake = await startTenant();
    makeHealthy(fake);
    const file = addDriveFile(fake.tenant, { name: 'contract.pdf', size: 6000 });
    s3 = await startS3(['backup']);
    const dir = tempDir();
    const config = writeConfig(dir, fake, {
      outputDir: 's3://backup/nightly',
      target: { bucket: 'backup', endpoint: s3.endpoint, stagingDir: './staging' },
    });
    const staging = join(dir, 'staging');
    const database = join(staging, 'inventory.sqlite');
    const c = s3Client(s3);

    const first = await runCli(['backup', '--config', config], { env: s3.env });
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toMatch(/document manifests? \(by-document\/\) written/);

    // Every view file is in the bucket, byte for byte, at its local path.
    const viewFiles = walk(join(staging, 'view'));
    expect(viewFiles.length).toBeGreaterThan(3);
    for (const f of viewFiles) {
      const rel = relative(staging, f).split('\\').join('/');
      expect(sha(await getBytes(c, `nightly/${rel}`)), rel).toBe(sha(readFileSync(f)));
    }

    // One manifest per document, naming each media file's object with its SHA-256.
    const db = new Database(database, { readonly: true });
    const docs = db.prepare(`SELECT id, type, token, title FROM documents WHERE status <> 'gone'`).all() as {
      id: number;
      type: string;
      token: string;
      title: string | null;
    }[];
    const refs = db.prepare(
      `SELECT DISTINCT m.file_token AS token, m.path, m.sha256 FROM media_refs r JOIN media m ON m.id = r.media_id
        WHERE r.document_id = ? AND r.gone_at IS NULL AND m.status = 'done' ORDER BY m.file_token`,
    );
    let mediaListed = 0;
    for (const d of docs) {
      const m = JSON.parse(
        (await getBytes(c, `nightly/by-document/${d.type}/${d.token}.json`)).toString('utf8'),
      ) as Manifest;
      expect(m).toMatchObject({ token: d.token, type: d.type, title: d.title });
      const expected = (refs.all(d.id) as { token: string; path: string; sha256: string }[]).map((r) => ({
        token: r.token,
        key: `nightly/${r.path}`,
        sha256: r.sha256,
      }));
      expect(m.media.map(({ token, key, sha256 }) => ({ token, key, sha256 }))).toEqual(expected);
      for (const e of m.media) {
        const head = await c.send(new HeadObjectCommand({ Bucket: 'backup', Key: e.key! }));
        expect(head.Metadata?.sha256).toBe(e.sha256);
        expect(head.ContentLength).toBe(e.size);
      }
      mediaListed += m.media.length;
    }
    db.close();
    expect(mediaListed).toBeGreaterThan(3);
    const afterFirst = uploadedAt(database);

    // Nothing changed in Feishu: no file, view file or manifest goes up again.
    const second = await runCli(['backup', '--config', config], { env: s3.env });
    expect(second.code, second.stderr + second.stdout).toBe(0);
    expect(second.stdout).toMatch(/Uploaded\s+0 files/);
    expect(second.stdout).not.toMatch(/manifests/);
    const afterSecond = uploadedAt(database);
    for (const [key, at] of afterFirst) {
      if (!key.endsWith('inventory.sqlite')) expect(afterSecond.get(key), key).toBe(at);
    }

    // A document edited and a new version of the drive file: only what they change goes up.
    const doc = [...fake.tenant.docs.values()][0]!;
    appendBlocks(fake.tenant, doc, [block.text('A paragraph added later')]);
    const oldBytes = mediaBytes(fake.tenant.seed, file.token, 0, 6000);
    uploadNewVersion(fake.tenant, file.token, { size: 6500 });
    const third = await runCli(['backup', '--config', config], { env: s3.env });
    expect(third.code, third.stderr + third.stdout).toBe(0);
    const afterThird = uploadedAt(database);
    const changed = [...afterThird.keys()].filter((k) => afterThird.get(k) !== afterSecond.get(k)).sort();
    const db3 = new Database(database, { readonly: true });
    const drive = db3.prepare('SELECT path, sha256 FROM media WHERE file_token = ?').get(file.token) as {
      path: string;
      sha256: string;
    };
    db3.close();
    const tokenFolder = drive.path.split('/').slice(0, -1).join('/');
    const kept = changed.filter((k) => k.startsWith(`nightly/${tokenFolder}/versions/`));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/\/versions\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\/contract\.pdf$/);
    expect(sha(await getBytes(c, kept[0]!))).toBe(sha(oldBytes));
    expect(sha(await getBytes(c, `nightly/${drive.path}`))).toBe(drive.sha256);
    // The edited document's snapshot and view page, its manifest (a new snapshot), the root folder's
    // manifest (the file's new SHA-256), the view's index; no other document's manifest.
    const manifests = changed.filter((k) => k.includes('/by-document/'));
    expect(manifests.sort()).toEqual(
      [
        `nightly/by-document/docx/${doc.documentId}.json`,
        `nightly/by-document/folder/${fake.tenant.rootFolderToken}.json`,
      ].sort(),
    );
    expect(changed.some((k) => k.startsWith('nightly/view/') && k.endsWith('.md'))).toBe(true);
    expect(changed.filter((k) => k.startsWith('nightly/snapshots/'))).toHaveLength(1);
    const folderManifest = JSON.parse(
      (await getBytes(c, `nightly/by-document/folder/${fake.tenant.rootFolderToken}.json`)).toString('utf8'),
    ) as Manifest;
    expect(folderManifest.media.find((m) => m.token === file.token)).toMatchObject({
      key: `nightly/${drive.path}`,
      sha256: drive.sha256,
      size: 6500,
    });
  });
});
