import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Target } from '../../src/config/types.js';
import { type Db, openInventory } from '../../src/inventory/open.js';
import { collectReportData } from '../../src/report/collect.js';
import { renderReportHtml } from '../../src/report/render.js';
import type { ReportMeta } from '../../src/report/types.js';
import { HOSTILE_NAME, seedTenant } from './fixture.js';

let dir: string;
let db: Db;
let meta: ReportMeta;

const MiB = 1024 * 1024;
const target: Target = {
  endpoint: 'http://minio.internal:9000',
  region: 'us-east-1',
  bucket: 'backup',
  prefix: 'nightly/',
  forcePathStyle: true,
  storageClass: 'STANDARD_IA',
  objectLockDays: 30,
  keepLocal: true,
};

/**
 * The fixture's four files on disk (logo, report, old diagram, the hostile one): the logo uploaded
 * and verified, the report failed (with a hostile message), the old diagram half sent by a
 * multipart upload that was interrupted, the hostile one not tried yet; the inventory copy uploaded.
 */
function seedTarget(): void {
  db.exec(`
    INSERT INTO target_objects (bucket, object_key, media_id, sha256, size, status, upload_id, error_code, error_message, uploaded_at) VALUES
      ('backup', 'nightly/media/lo/logo.png', 1, '${'a'.repeat(64)}', 2048, 'done', NULL, NULL, NULL, '2024-05-02T08:04:00Z'),
      ('backup', 'nightly/media/re/report <2024>.pdf', 2, NULL, NULL, 'error', NULL, 'checksum_mismatch', 'the local copy hashes to ${HOSTILE_NAME}', NULL),
      ('backup', 'nightly/media/ol/old diagram.png', 7, NULL, NULL, 'uploading', 'upOld', NULL, NULL, NULL),
      ('backup', 'nightly/inventory.sqlite', NULL, '${'e'.repeat(64)}', 4096, 'done', NULL, NULL, NULL, '2024-05-02T08:05:00Z'),
      ('other-bucket', 'nightly/media/ev/evil.png', 8, '${'d'.repeat(64)}', 1024, 'done', NULL, NULL, NULL, '2024-05-02T08:04:00Z');
    INSERT INTO target_upload_parts (bucket, upload_id, part_number, size, md5, etag) VALUES
      ('backup', 'upOld', 1, ${8 * MiB}, 'm1', '"e1"'),
      ('backup', 'upOld', 2, ${8 * MiB}, 'm2', '"e2"');
  `);
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'report-target-'));
  db = openInventory(path.join(dir, 'inventory.sqlite'));
  seedTenant(db);
  seedTarget();
  const outputDir = path.join(dir, 'backup');
  meta = {
    outputDir,
    reportPath: path.join(outputDir, 'report.html'),
    baseUrl: 'https://open.feishu.cn',
    roots: ['folder:fldPlans'],
    generatedAt: new Date('2024-05-03T09:00:00Z'),
    target,
  };
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the object storage target in the report', () => {
  it('counts files uploaded and verified, pending (with the multipart upload in flight) and failed', () => {
    const t = collectReportData(db, meta).target!;
    expect(t).toMatchObject({
      where: 's3://backup/nightly/ at http://minio.internal:9000',
      files: 4,
      filesUploaded: 1,
      failed: 1,
      pending: 2,
      inFlight: { uploads: 1, bytesSent: 16 * MiB },
      inventoryUploadedAt: '2024-05-02T08:05:00Z',
    });
    expect(t.failures).toEqual([
      {
        key: 'nightly/media/re/report <2024>.pdf',
        code: 'checksum_mismatch',
        message: `the local copy hashes to ${HOSTILE_NAME}`,
      },
    ]);
  });

  it('shows where (bucket, prefix, endpoint, no credential), the counts and each failure, escaped', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    process.env.AWS_SECRET_ACCESS_KEY = secret;
    try {
      const html = renderReportHtml(collectReportData(db, meta));
      const section = html.slice(html.indexOf('<section class="card" id="target">'));
      expect(section).toContain(
        '<dd id="target-where"><code>s3://backup/nightly/ at http://minio.internal:9000</code></dd>',
      );
      expect(section).toMatch(/id="target-uploaded">1<\/div><div class="d">of 4 on disk/);
      expect(section).toMatch(
        /id="target-pending">2<\/div><div class="d">1 multipart upload in flight, 16(\.0)? MB sent/,
      );
      expect(section).toMatch(/id="target-failed">1</);
      expect(section).toContain(
        '<code>nightly/media/re/report &lt;2024&gt;.pdf</code> <b>checksum_mismatch</b>',
      );
      expect(section).toContain('STANDARD_IA');
      expect(section).toContain('COMPLIANCE retention, 30 days');
      expect(section).not.toContain(HOSTILE_NAME);
      expect(html).not.toContain(secret);
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  it('with keepLocal false, counts files downloaded and links only those still staged on disk', () => {
    // The report (5 MiB) is staged: downloaded, its upload failed; the others went once checked.
    mkdirSync(path.join(meta.outputDir, 'media/re'), { recursive: true });
    writeFileSync(path.join(meta.outputDir, 'media/re/report <2024>.pdf'), 'staged');
    const staged = { ...meta, target: { ...target, keepLocal: false, stagingLimit: 2 * 1024 * MiB } };
    const data = collectReportData(db, staged);
    const linked = data.media.filter((m) => m.href !== null).map((m) => m.fileToken);
    expect(linked).toEqual(['boxReport']);
    expect(collectReportData(db, meta).media.filter((m) => m.href !== null)).toHaveLength(4);
    const html = renderReportHtml(data);
    const section = html.slice(html.indexOf('<section class="card" id="target">'));
    expect(section).toMatch(/id="target-uploaded">1<\/div><div class="d">of 4 downloaded/);
    expect(section).toContain(
      '<dd id="target-local">deleted once uploaded and checked; at most 2.00 GB staged at once</dd>',
    );
    expect(renderReportHtml(collectReportData(db, meta))).toContain(
      '<dd id="target-local">kept on disk</dd>',
    );
  });

  it('has no target section when the backup has no target', () => {
    const { target: _, ...plain } = meta;
    const data = collectReportData(db, plain);
    expect(data.target).toBeUndefined();
    expect(renderReportHtml(data)).not.toContain('id="target"');
  });
});
