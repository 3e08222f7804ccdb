export { renderDocxMarkdown } from './docx-markdown.js';
export type { DocumentMeta, RawBlock, TextElement } from './docx-types.js';
export type { EmbeddedDocumentType, LinkResolver } from './link-resolver.js';
export { encodeLinkPath, noLinks } from './link-resolver.js';
