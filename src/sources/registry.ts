import { bitableSource, bitableTableSource } from './bitable/index.js';
import { boardSource, docxSource } from './docx/index.js';
import { driveSource } from './drive/index.js';
import { mySpaceSource } from './drive/my-space.js';
import { sheetSource } from './sheets/index.js';
import type { DocType, Source } from './types.js';
import { wikiNodeSource, wikiSpaceSource } from './wiki/index.js';
import { wikiSpacesSource } from './wiki/spaces.js';

/** Every source, by the document type it reads. Explicit: adding a source means adding it here. */
export const SOURCES: ReadonlyMap<DocType, Source> = new Map<DocType, Source>([
  [driveSource.type, driveSource],
  [mySpaceSource.type, mySpaceSource],
  [wikiSpacesSource.type, wikiSpacesSource],
  [wikiSpaceSource.type, wikiSpaceSource],
  [wikiNodeSource.type, wikiNodeSource],
  [docxSource.type, docxSource],
  [boardSource.type, boardSource],
  [sheetSource.type, sheetSource],
  [bitableSource.type, bitableSource],
  [bitableTableSource.type, bitableTableSource],
]);

/** Types the Open API cannot read media from, with the reason recorded on the document. */
export const UNSUPPORTED_REASONS: Partial<Record<DocType, string>> = {
  doc: 'An old-format document ("doc"): the Open API cannot list its media. Upgrade it to a new document (docx) in Feishu.',
  mindnote: 'A mind note: the Open API has no way to read its content.',
  slides: 'A slides document: the Open API has no way to read its content.',
  file: 'A drive file, not a document: it is backed up as a file of its folder.',
};
