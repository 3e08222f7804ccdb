import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addMedia } from './builders/media.js';
import type { Placement } from './builders/tenant.js';
import { blockMediaTokens } from './expected.js';
import type { Block, DocxDoc, Tenant } from './model.js';

/**
 * Finds `test/fixtures/real-samples` (copies of the shared real samples, kept in the repository so a
 * fresh clone is self-contained) from this file, whether it runs from test/fake-feishu/ or from
 * dist/test/fake-feishu/.
 */
export function realSamplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      readFileSync(join(dir, 'package.json'));
      return join(dir, 'test', 'fixtures', 'real-samples');
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error(
    'addRealSampleDocs: cannot find the repository root above ' + fileURLToPath(import.meta.url),
  );
}

/**
 * Adds the three real documents of real-samples/ as docx in the drive (blocks exactly as Feishu
 * returned them) and gives their image tokens media bytes.
 */
export function addRealSampleDocs(tenant: Tenant, options: { folder?: Placement } = {}): DocxDoc[] {
  const out: DocxDoc[] = [];
  for (const file of ['testdocx.1.json', 'testdocx.2.json', 'testdocx.3.json']) {
    const sample = JSON.parse(readFileSync(join(realSamplesDir(), file), 'utf8')) as {
      document: { document_id: string; revision_id: number; title: string };
      blocks: Block[];
    };
    const doc: DocxDoc = {
      documentId: sample.document.document_id,
      revisionId: sample.document.revision_id,
      title: sample.document.title,
      access: 'ok',
      blocks: sample.blocks,
    };
    tenant.docs.set(doc.documentId, doc);
    const parentToken = options.folder && options.folder !== 'root' ? options.folder : tenant.rootFolderToken;
    if (options.folder !== null) {
      tenant.drive.set(doc.documentId, {
        token: doc.documentId,
        name: doc.title,
        type: 'docx',
        parentToken,
        createdTime: 1_650_000_000,
        modifiedTime: 1_650_000_000 + doc.revisionId,
        ownerId: 'ou_fakeowner',
      });
    }
    for (const b of doc.blocks) {
      for (const token of blockMediaTokens(b)) {
        if (!tenant.media.has(token))
          addMedia(tenant, { token, name: `${token}.png`, size: 20_000 + token.length * 997 });
      }
    }
    out.push(doc);
  }
  return out;
}
