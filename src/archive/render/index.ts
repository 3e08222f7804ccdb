export type { BitableField, BitableRecord } from './bitable-csv.js';
export { renderBitableCsv } from './bitable-csv.js';
export type { CsvOptions } from './csv.js';
export { csvField, escapeFormula } from './csv.js';
export { renderDocxMarkdown } from './docx-markdown.js';
export type { DocumentMeta, RawBlock, TextElement } from './docx-types.js';
export type { EmbeddedDocumentType, LinkResolver } from './link-resolver.js';
export { encodeLinkPath, noLinks } from './link-resolver.js';
export { renderSheetCsv } from './sheet-csv.js';
