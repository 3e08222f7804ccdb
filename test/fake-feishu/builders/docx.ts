import { type BlockTree, flattenBlocks } from '../blocks.js';
import type { DocxDoc, Tenant } from '../model.js';
import { idRng, type Placement, place } from './tenant.js';

export function addDocx(
  tenant: Tenant,
  options: {
    title: string;
    content?: BlockTree[];
    folder?: Placement;
    documentId?: string;
    revisionId?: number;
  },
): DocxDoc {
  const rng = idRng(tenant);
  const documentId = options.documentId ?? rng.token('doxcn');
  const doc: DocxDoc = {
    documentId,
    revisionId: options.revisionId ?? 1,
    title: options.title,
    access: 'ok',
    blocks: flattenBlocks(documentId, options.title, options.content ?? [], () => rng.token('doxcn')),
  };
  tenant.docs.set(documentId, doc);
  place(tenant, documentId, options.title, 'docx', options.folder ?? 'root');
  return doc;
}

/** Appends blocks to the page of an existing document (a test's "someone edited it"); bumps the revision. */
export function appendBlocks(tenant: Tenant, doc: DocxDoc, content: BlockTree[]): void {
  const rng = idRng(tenant);
  const added = flattenBlocks(doc.documentId, doc.title, content, () => rng.token('doxcn'));
  const page = doc.blocks[0]!;
  page.children = [...(page.children ?? []), ...(added[0]!.children ?? [])];
  doc.blocks.push(...added.slice(1));
  doc.revisionId += 1;
}
