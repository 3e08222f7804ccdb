/**
 * The fake tenant: plain, mutable data that the routes read on every request, so a test can edit it
 * between two crawls (bump a revision, delete a media, add a block) and the next request sees it.
 * Shapes follow /work/shared/FEISHU-API.md; JSON payloads (blocks, cells) are kept in the wire shape.
 */

export type MediaState = 'ok' | 'forbidden' | 'deleted';
/** Whether the app may read a document: documents can be forbidden or deleted too. */
export type Access = 'ok' | 'forbidden' | 'deleted';

export interface Media {
  token: string;
  name: string;
  mimeType: string;
  size: number;
  state: MediaState;
  /**
   * 'media' lives inside documents (medias/:token/download); 'file' is a drive file
   * (files/:token/download).
   */
  kind: 'media' | 'file';
  /**
   * Set when the media sits in an advanced-permission bitable table: downloads must carry an `extra`
   * naming this table (and, in the `attachments` form, the field -> record -> token holding it).
   */
  permTable?: { appToken: string; tableId: string };
  /**
   * The size the sheet and bitable listings show, when it is not the byte count the download serves
   * (`size`). Whether Feishu's listings ever differ is [unconfirmed]; a listed size is a hint (issue 18).
   */
  listedSize?: number;
  /** Listed in bitable records without `file_token` (issue 18; [unconfirmed] that Feishu ever does). */
  listedWithoutToken?: boolean;
  /**
   * Drive files: how many versions were uploaded under this token (absent: 1, the first upload).
   * Each version has its own bytes (see `mediaContentKey`); `uploadNewVersion` adds one.
   */
  version?: number;
  /**
   * Set by `disableDownload`: a document holding it forbids copy/print/download for readers, so its
   * download answers 403 like a file the app may not see (the docs give no other code).
   */
  downloadDisabled?: boolean;
}

export type DriveType =
  | 'folder'
  | 'docx'
  | 'doc'
  | 'sheet'
  | 'bitable'
  | 'mindnote'
  | 'file'
  | 'shortcut'
  | 'slides';

export interface DriveEntry {
  token: string;
  name: string;
  type: DriveType;
  /** The folder holding it; the root folder's own parent is ''. */
  parentToken: string;
  /** Epoch seconds. */
  createdTime: number;
  modifiedTime: number;
  ownerId: string;
  shortcut?: { targetType: DriveType; targetToken: string };
}

export interface WikiNode {
  nodeToken: string;
  objToken: string;
  objType: 'docx' | 'doc' | 'sheet' | 'bitable' | 'mindnote' | 'file' | 'slides';
  parentNodeToken: string;
  nodeType: 'origin' | 'shortcut';
  originNodeToken: string;
  title: string;
  /** Epoch seconds. */
  objCreateTime: number;
  objEditTime: number;
}

export interface WikiSpace {
  spaceId: string;
  name: string;
  spaceType: 'team' | 'person';
  visibility: 'public' | 'private';
  nodes: WikiNode[];
}

/** A docx block exactly as the blocks API returns it (`block_id`, `block_type`, payload...). */
export type Block = {
  block_id: string;
  block_type: number;
  parent_id?: string;
  children?: string[];
} & Record<string, unknown>;

export interface DocxDoc {
  documentId: string;
  revisionId: number;
  title: string;
  access: Access;
  /** The owner turned off "who can create copies, print and download" for readers (see disableDownload). */
  downloadDisabled?: boolean;
  /** In API order (depth first); blocks[0] is the page block whose id is the document id. */
  blocks: Block[];
}

/** A cell value in the stored (UnformattedValue) form: a scalar, a rich object, or an array of them. */
export type CellValue = string | number | boolean | null | Record<string, unknown> | unknown[];

export interface FloatImage {
  floatImageId: string;
  floatImageToken: string;
  /** e.g. `sid!A1:A1`. */
  range: string;
  width: number;
  height: number;
  offsetX: number;
  offsetY: number;
}

export interface Sheet {
  sheetId: string;
  title: string;
  index: number;
  hidden: boolean;
  rowCount: number;
  columnCount: number;
  /** Sparse: row index (0-based) -> column index -> value. */
  cells: Map<number, Map<number, CellValue>>;
  floatImages: FloatImage[];
  /**
   * A base embedded in the spreadsheet as one of its sheets: `sheets/query` gives it
   * `resource_type: "bitable"` and no grid, and `metainfo` names it in `blockInfo`
   * (https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/bitable-overview).
   */
  base?: { appToken: string; tableId: string };
}

export interface Spreadsheet {
  token: string;
  title: string;
  revision: number;
  access: Access;
  downloadDisabled?: boolean;
  sheets: Sheet[];
}

export interface BitableField {
  fieldId: string;
  fieldName: string;
  /** 1 text, 2 number, 17 attachment... */
  type: number;
  uiType: string;
}

/** Attachment values are stored as tokens; the route renders name/size/type/url from the media. */
export type StoredFieldValue = string | number | boolean | { attachments: string[] } | null;

export interface BitableRecord {
  recordId: string;
  /** Keyed by field id (the API renders them keyed by field name). */
  fields: Record<string, StoredFieldValue>;
  /** Epoch ms. */
  lastModifiedTime: number;
}

export interface BitableTable {
  tableId: string;
  name: string;
  revision: number;
  /** Advanced permissions: media downloads need the right `extra`. */
  advancedPerm: boolean;
  /**
   * Which `extra` forms a download of this table's media accepts: `both` (the server's own
   * `{tableId, rev}` from the attachment url, and the documented `attachments` form), or only
   * `attachments` (the media introduction page calls that form required; what the server's own form
   * gets on a real tenant is [unconfirmed]). @default 'both'
   */
  extraForms?: 'both' | 'attachments';
  fields: BitableField[];
  records: BitableRecord[];
}

export interface Bitable {
  appToken: string;
  name: string;
  access: Access;
  downloadDisabled?: boolean;
  tables: BitableTable[];
  /**
   * Advanced permissions on (`app.is_advanced`). Absent: on when any table has `advancedPerm`.
   * https://open.feishu.cn/document/server-docs/docs/bitable-v1/app/get
   */
  advanced?: boolean;
  /**
   * Whether the app holds manage rights on an advanced base. Without them `records/search` answers
   * success with no records (https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/bitable-v1/app-table-record/search).
   * @default true
   */
  appCanManage?: boolean;
}

/** Whether a base has advanced permissions on, as `GET /open-apis/bitable/v1/apps/:app_token` says. */
export function isAdvanced(app: Bitable): boolean {
  return app.advanced ?? app.tables.some((t) => t.advancedPerm);
}

export interface Board {
  whiteboardId: string;
  /** Width and height of the exported PNG, in pixels. */
  width: number;
  height: number;
}

/** The one person who can sign in to the fake (OAuth), and what only they can see. */
export interface FakeUser {
  openId: string;
  name: string;
  /** Their My Space: a folder only they can see. */
  rootFolderToken: string;
  /** Their personal wiki library (the `my_library` alias). */
  librarySpaceId: string;
  /** Wiki spaces they are a member of (the library is not listed among them). */
  memberSpaceIds: string[];
}

export interface Tenant {
  seed: number;
  appId: string;
  appSecret: string;
  /** The root folder's token (what `folder_token=` empty lists). */
  rootFolderToken: string;
  /** The root folder's name (what its folder meta answers); absent: an empty name. */
  rootFolderName?: string;
  /** Every drive entry, folders included, in listing order. */
  drive: Map<string, DriveEntry>;
  wikiSpaces: WikiSpace[];
  docs: Map<string, DocxDoc>;
  sheets: Map<string, Spreadsheet>;
  bitables: Map<string, Bitable>;
  boards: Map<string, Board>;
  media: Map<string, Media>;
  /** Who can sign in; absent: nobody (OAuth answers as if the user does not exist). */
  user?: FakeUser;
  /**
   * Tokens (folders, documents, media, wiki space ids) the signed-in user can see and the app
   * cannot: with a tenant token they answer the product's permission error.
   */
  userOnly?: Set<string>;
}
