/**
 * The docx blocks API's wire shapes, as far as the renderer reads them. Everything is optional:
 * snapshots are raw API output and the renderer must survive any of it being absent.
 * Reference: https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document/list (block data
 * structure) and the real samples in /work/shared/real-samples.
 */

export interface TextElementStyle {
  bold?: boolean;
  italic?: boolean;
  strikethrough?: boolean;
  underline?: boolean;
  inline_code?: boolean;
  /** `url` is percent-encoded on the wire: `https%3A%2F%2F...`. */
  link?: { url?: string };
}

export interface TextElement {
  /** Empty runs carry no `content` at all. */
  text_run?: { content?: string; text_element_style?: TextElementStyle };
  mention_user?: { user_id?: string; text_element_style?: TextElementStyle };
  mention_doc?: {
    token?: string;
    obj_type?: number;
    url?: string;
    title?: string;
    text_element_style?: TextElementStyle;
  };
  equation?: { content?: string; text_element_style?: TextElementStyle };
  /** An attachment placed inline in a text block. */
  file?: { file_token?: string; source_block_id?: string };
  reminder?: { notify_time?: string; expire_time?: string };
  inline_block?: { block_id?: string };
  link_preview?: { url?: string; title?: string };
  [other: string]: unknown;
}

export interface TextPayload {
  style?: { done?: boolean; language?: number; sequence?: string; [key: string]: unknown };
  elements?: TextElement[];
}

/** One block of `GET /open-apis/docx/v1/documents/:id/blocks`, payload under its type's key. */
export interface RawBlock {
  block_id: string;
  block_type: number;
  parent_id?: string;
  children?: string[];
  [payload: string]: unknown;
}

export interface DocumentMeta {
  document_id: string;
  revision_id?: number;
  title?: string;
  /** Where the document opens in Feishu (the tenant's own domain), when known. */
  url?: string;
  /** The revision the archive holds, as the inventory keys it (`rev:12`, `mtime:1700000000`). */
  revision?: string;
  /** When that revision was backed up (ISO 8601 UTC). */
  backed_up_at?: string;
}

/** Block type numbers to the payload key the API uses (and the name shown in placeholders). */
export const BLOCK_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'page',
  2: 'text',
  3: 'heading1',
  4: 'heading2',
  5: 'heading3',
  6: 'heading4',
  7: 'heading5',
  8: 'heading6',
  9: 'heading7',
  10: 'heading8',
  11: 'heading9',
  12: 'bullet',
  13: 'ordered',
  14: 'code',
  15: 'quote',
  16: 'equation',
  17: 'todo',
  18: 'bitable',
  19: 'callout',
  20: 'chat_card',
  21: 'diagram',
  22: 'divider',
  23: 'file',
  24: 'grid',
  25: 'grid_column',
  26: 'iframe',
  27: 'image',
  28: 'isv',
  29: 'mindnote',
  30: 'sheet',
  31: 'table',
  32: 'table_cell',
  33: 'view',
  34: 'quote_container',
  35: 'task',
  36: 'okr',
  37: 'okr_objective',
  38: 'okr_key_result',
  39: 'okr_progress',
  40: 'add_ons',
  41: 'jira_issue',
  42: 'wiki_catalog',
  43: 'board',
  44: 'agenda',
  45: 'agenda_item',
  46: 'agenda_item_title',
  47: 'agenda_item_content',
  48: 'link_preview',
  49: 'source_synced',
  50: 'reference_synced',
  51: 'sub_page_list',
  52: 'ai_template',
  999: 'undefined',
};

/**
 * The code block `style.language` enum to a fence info string (the names GitHub's highlighter
 * knows). 1 is plain text: no tag.
 */
const CODE_LANGUAGES = [
  '',
  'abap',
  'ada',
  'apache',
  'apex',
  'assembly',
  'bash',
  'csharp',
  'cpp',
  'c',
  'cobol',
  'css',
  'coffeescript',
  'd',
  'dart',
  'delphi',
  'django',
  'dockerfile',
  'erlang',
  'fortran',
  'foxpro',
  'go',
  'groovy',
  'html',
  'htmlbars',
  'http',
  'haskell',
  'json',
  'java',
  'javascript',
  'julia',
  'kotlin',
  'latex',
  'lisp',
  'logo',
  'lua',
  'matlab',
  'makefile',
  'markdown',
  'nginx',
  'objectivec',
  'openedge-abl',
  'php',
  'perl',
  'postscript',
  'powershell',
  'prolog',
  'protobuf',
  'python',
  'r',
  'rpg',
  'ruby',
  'rust',
  'sas',
  'scss',
  'sql',
  'scala',
  'scheme',
  'scratch',
  'shell',
  'swift',
  'thrift',
  'typescript',
  'vbscript',
  'vbnet',
  'xml',
  'yaml',
  'cmake',
  'diff',
  'gherkin',
  'graphql',
  'glsl',
  'properties',
  'solidity',
  'toml',
];

export function codeFenceLanguage(language: unknown): string {
  return typeof language === 'number' ? (CODE_LANGUAGES[language - 1] ?? '') : '';
}

/** `mention_doc.obj_type` to the document type a resolver understands. */
export const MENTION_OBJ_TYPES: Readonly<Record<number, string>> = {
  1: 'doc',
  3: 'sheet',
  8: 'bitable',
  11: 'mindnote',
  12: 'file',
  15: 'slides',
  16: 'wiki',
  22: 'docx',
};
