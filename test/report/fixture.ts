import type { Db } from '../../src/inventory/open.js';

/** Names an attacker controlling a document could give a file or a document. */
export const HOSTILE_NAME = '</script><script>window.__pwned=1</script><!--x.png';
export const HOSTILE_TITLE = '<img src=x onerror="window.__pwned=2">Plan </script>';

export const PERMISSION_FIX = 'Add the app as a collaborator of the document, then run again.';

/**
 * A small tenant as a finished backup would leave it: two roots, documents of four types, files in
 * every state, one referenced from two documents, one whose only reference disappeared, and hostile
 * names. Filled with SQL, so these tests depend on the schema alone.
 */
export function seedTenant(db: Db): void {
  db.exec(`
    INSERT INTO runs (id, command, started_at, ended_at, status, exit_code) VALUES
      (1, 'backup', '2024-05-01T08:00:00Z', '2024-05-01T08:20:00Z', 'ok', 0),
      (2, 'backup', '2024-05-02T08:00:00Z', '2024-05-02T08:05:00Z', 'partial', 3);
    INSERT INTO roots (id, spec, kind, token) VALUES
      (1, 'folder:fldPlans', 'folder', 'fldPlans'),
      (2, 'wiki:spcHandbook', 'wiki', 'spcHandbook');
    INSERT INTO documents (id, type, token, title, url, root_id, status, error_kind, error_message, error_fix) VALUES
      (1, 'folder',  'fldPlans', 'Plans',        NULL, 1, 'done', NULL, NULL, NULL),
      (2, 'docx',    'doxPlan',  'Quarterly plan', 'https://tenant.feishu.cn/docx/doxPlan', 1, 'done', NULL, NULL, NULL),
      (3, 'sheet',   'shtBudget','Budget 2024',  'https://tenant.feishu.cn/sheets/shtBudget', 1, 'done', NULL, NULL, NULL),
      (4, 'bitable', 'bscAssets','Assets',       'javascript:alert(1)', 2, 'done', NULL, NULL, NULL),
      (5, 'docx',    'doxEvil',  '${HOSTILE_TITLE.replaceAll("'", "''")}', 'https://tenant.feishu.cn/docx/doxEvil', 2, 'done', NULL, NULL, NULL),
      (6, 'docx',    'doxSecret', 'HR secrets',  NULL, 2, 'error', 'permission', 'HTTP 403, code 1770032', '${PERMISSION_FIX}');
    INSERT INTO media (id, file_token, name, size, mime_type, status, path, sha256, bytes_on_disk,
                       error_kind, error_message, error_fix) VALUES
      (1, 'boxLogo',   'logo.png',            2048,     'image/png',       'done',    'media/lo/logo.png',            '${'a'.repeat(64)}', 2048, NULL, NULL, NULL),
      (2, 'boxReport', 'report <2024>.pdf',   5242880,  'application/pdf', 'done',    'media/re/report <2024>.pdf',   '${'b'.repeat(64)}', 5242880, NULL, NULL, NULL),
      (3, 'boxPhoto',  'team photo.jpg',      307200,   'image/jpeg',      'pending', NULL, NULL, NULL, NULL, NULL, NULL),
      (4, 'boxVideo',  'launch.mp4',          20971520, 'video/mp4',       'partial', NULL, NULL, 1048576, NULL, NULL, NULL),
      (5, 'boxLocked', 'salaries.xlsx',       40960,    'application/vnd.ms-excel', 'failed', NULL, NULL, NULL, 'permission', 'HTTP 403, code 1061004', '${PERMISSION_FIX}'),
      (6, 'boxLost',   'deleted.png',         NULL,     'image/png',       'error',   NULL, NULL, NULL, 'not_found', 'HTTP 404', 'The file was deleted.'),
      (7, 'boxOld',    'old diagram.png',     10240,    'image/png',       'done',    'media/ol/old diagram.png',     '${'c'.repeat(64)}', 10240, NULL, NULL, NULL),
      (8, 'boxEvil',   '${HOSTILE_NAME}',     1024,     'image/png',       'done',    'media/ev/evil.png',            '${'d'.repeat(64)}', 1024, NULL, NULL, NULL),
      (9, 'boxLocked2','contract.pdf',        81920,    'application/pdf', 'failed',  NULL, NULL, NULL, 'permission', 'HTTP 403, code 1061004', '${PERMISSION_FIX}');
    INSERT INTO media_refs (media_id, document_id, location, kind, gone_at) VALUES
      (1, 2, 'blkLogo', 'image', NULL),
      (1, 3, 'sht1!A1', 'sheet_image', NULL),
      (1, 2, 'blkLogo2', 'image', NULL),
      (2, 2, 'blkReport', 'file', NULL),
      (2, 4, 'rec1/fld1', 'bitable_attachment', '2024-05-02T08:01:00Z'),
      (3, 3, 'float:f1', 'float_image', NULL),
      (4, 4, 'rec2/fld1', 'bitable_attachment', NULL),
      (5, 3, 'sht1!B2', 'sheet_attachment', NULL),
      (6, 2, 'blkLost', 'image', NULL),
      (7, 2, 'blkOld', 'image', '2024-05-02T08:01:00Z'),
      (8, 5, 'blkEvil', 'image', NULL),
      (9, 4, 'rec3/fld1', 'bitable_attachment', NULL);
  `);
}
