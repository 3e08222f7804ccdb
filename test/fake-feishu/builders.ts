import { type BlockTree, flattenBlocks } from './blocks.js';
import type {
  Bitable,
  BitableField,
  BitableTable,
  CellValue,
  DocxDoc,
  DriveEntry,
  DriveType,
  FloatImage,
  Media,
  Sheet,
  Spreadsheet,
  StoredFieldValue,
  Tenant,
  WikiNode,
  WikiSpace,
} from './model.js';
import { Rng } from './rng.js';

/**
 * Helpers for tests that build a precise tenant by hand. Ids come from a per-tenant seeded RNG, so a
 * tenant built by the same calls is the same tenant.
 */

const rngs = new WeakMap<Tenant, Rng>();
/** 2026-01-01T00:00:00Z, in seconds: a fixed "now" keeps generated tenants deterministic. */
export const EPOCH_SECONDS = 1_767_225_600;

export function idRng(tenant: Tenant): Rng {
  let rng = rngs.get(tenant);
  if (!rng) {
    rng = new Rng(tenant.seed * 7919 + 17);
    rngs.set(tenant, rng);
  }
  return rng;
}

export function emptyTenant(options: { seed?: number; appId?: string; appSecret?: string } = {}): Tenant {
  const seed = options.seed ?? 1;
  const tenant: Tenant = {
    seed,
    appId: options.appId ?? `cli_fake${seed.toString(16).padStart(8, '0')}`,
    appSecret: options.appSecret ?? `fake-secret-${seed}`,
    rootFolderToken: '',
    drive: new Map(),
    wikiSpaces: [],
    docs: new Map(),
    sheets: new Map(),
    bitables: new Map(),
    boards: new Map(),
    media: new Map(),
  };
  tenant.rootFolderToken = idRng(tenant).token('nodcnRoot');
  return tenant;
}

/** Where a new document goes in the drive: a folder token, 'root', or null (not in the drive: wiki only). */
export type Placement = string | 'root' | null;

function place(tenant: Tenant, token: string, name: string, type: DriveType, folder: Placement): void {
  if (folder === null) return;
  const parentToken = folder === 'root' ? tenant.rootFolderToken : folder;
  if (parentToken !== tenant.rootFolderToken && tenant.drive.get(parentToken)?.type !== 'folder') {
    throw new Error(`addTo: ${parentToken} is not a folder of this tenant`);
  }
  const t = EPOCH_SECONDS - idRng(tenant).int(0, 365 * 86400);
  const entry: DriveEntry = {
    token,
    name,
    type,
    parentToken,
    createdTime: t,
    modifiedTime: t + idRng(tenant).int(0, 86400 * 30),
    ownerId: 'ou_fakeowner',
  };
  tenant.drive.set(token, entry);
}

export function addFolder(tenant: Tenant, options: { name: string; folder?: Placement }): DriveEntry {
  const token = idRng(tenant).token('fldcn');
  place(tenant, token, options.name, 'folder', options.folder ?? 'root');
  return tenant.drive.get(token)!;
}

export function addShortcut(
  tenant: Tenant,
  options: { name: string; targetToken: string; targetType: DriveType; folder?: Placement },
): DriveEntry {
  const token = idRng(tenant).token('nodcnShort');
  place(tenant, token, options.name, 'shortcut', options.folder ?? 'root');
  const entry = tenant.drive.get(token)!;
  entry.shortcut = { targetType: options.targetType, targetToken: options.targetToken };
  return entry;
}

export function addMedia(
  tenant: Tenant,
  options: Partial<Omit<Media, 'token'>> & { token?: string } = {},
): Media {
  const media: Media = {
    token: options.token ?? idRng(tenant).token('boxcn'),
    name: options.name ?? 'image.png',
    mimeType: options.mimeType ?? 'image/png',
    size: options.size ?? 4096,
    state: options.state ?? 'ok',
    kind: options.kind ?? 'media',
    ...(options.permTable ? { permTable: options.permTable } : {}),
  };
  tenant.media.set(media.token, media);
  return media;
}

/** A drive file (type=file): its bytes come from files/:token/download. */
export function addDriveFile(
  tenant: Tenant,
  options: { name: string; size?: number; mimeType?: string; folder?: Placement },
): Media {
  const media = addMedia(tenant, {
    token: idRng(tenant).token('boxcnFile'),
    name: options.name,
    size: options.size ?? 10_000,
    mimeType: options.mimeType ?? 'application/octet-stream',
    kind: 'file',
  });
  place(tenant, media.token, options.name, 'file', options.folder ?? 'root');
  return media;
}

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

export interface SheetSpec {
  title?: string;
  rowCount?: number;
  columnCount?: number;
  /** `[row, column, value]`, 0-based. */
  cells?: [number, number, CellValue][];
  /** Media tokens shown as floating images. */
  floatImages?: string[];
}

export function addSpreadsheet(
  tenant: Tenant,
  options: { title: string; sheets?: SheetSpec[]; folder?: Placement },
): Spreadsheet {
  const rng = idRng(tenant);
  const token = rng.token('shtcn');
  const specs = options.sheets ?? [{}];
  const sheets: Sheet[] = specs.map((spec, index) => {
    const sheetId = rng.token('', 6);
    const cells = new Map<number, Map<number, CellValue>>();
    for (const [r, c, v] of spec.cells ?? []) {
      if (!cells.has(r)) cells.set(r, new Map());
      cells.get(r)!.set(c, v);
    }
    const floatImages: FloatImage[] = (spec.floatImages ?? []).map((mediaToken, i) => ({
      floatImageId: rng.token('', 10),
      floatImageToken: mediaToken,
      range: `${sheetId}!A${i + 1}:A${i + 1}`,
      width: 320,
      height: 240,
      offsetX: 0,
      offsetY: 0,
    }));
    return {
      sheetId,
      title: spec.title ?? `Sheet${index + 1}`,
      index,
      hidden: false,
      rowCount: spec.rowCount ?? 200,
      columnCount: spec.columnCount ?? 20,
      cells,
      floatImages,
    };
  });
  const sheet: Spreadsheet = { token, title: options.title, revision: 1, access: 'ok', sheets };
  tenant.sheets.set(token, sheet);
  place(tenant, token, options.title, 'sheet', options.folder ?? 'root');
  return sheet;
}

export interface TableSpec {
  name?: string;
  advancedPerm?: boolean;
  /** Field names and types; an attachment field is type 17. @default a text field and an attachment field */
  fields?: { name: string; type: number }[];
  /** Records as field name -> value; attachment values are arrays of media tokens. */
  records?: Record<string, string | number | boolean | string[] | null>[];
}

const UI_TYPES: Record<number, string> = {
  1: 'Text',
  2: 'Number',
  3: 'SingleSelect',
  7: 'Checkbox',
  17: 'Attachment',
};

export function addBitable(
  tenant: Tenant,
  options: { name: string; tables?: TableSpec[]; folder?: Placement },
): Bitable {
  const rng = idRng(tenant);
  const appToken = rng.token('bascn');
  const app: Bitable = { appToken, name: options.name, access: 'ok', tables: [] };
  tenant.bitables.set(appToken, app);
  for (const spec of options.tables ?? [{}]) addTable(tenant, app, spec);
  place(tenant, appToken, options.name, 'bitable', options.folder ?? 'root');
  return app;
}

export function addTable(tenant: Tenant, app: Bitable, spec: TableSpec): BitableTable {
  const rng = idRng(tenant);
  const fieldSpecs = spec.fields ?? [
    { name: '名称', type: 1 },
    { name: '附件', type: 17 },
  ];
  const fields: BitableField[] = fieldSpecs.map((f) => ({
    fieldId: rng.token('fld', 10),
    fieldName: f.name,
    type: f.type,
    uiType: UI_TYPES[f.type] ?? 'Text',
  }));
  const table: BitableTable = {
    tableId: rng.token('tbl', 13),
    name: spec.name ?? `数据表${app.tables.length + 1}`,
    revision: 1,
    advancedPerm: spec.advancedPerm ?? false,
    fields,
    records: [],
  };
  app.tables.push(table);
  for (const values of spec.records ?? []) addRecord(tenant, app, table, values);
  return table;
}

export function addRecord(
  tenant: Tenant,
  app: Bitable,
  table: BitableTable,
  values: Record<string, string | number | boolean | string[] | null>,
): void {
  const fields: Record<string, StoredFieldValue> = {};
  for (const [name, value] of Object.entries(values)) {
    const field = table.fields.find((f) => f.fieldName === name);
    if (!field) throw new Error(`addRecord: table ${table.tableId} has no field named ${name}`);
    if (field.type === 17) {
      const tokens = (value as string[] | null) ?? [];
      fields[field.fieldId] = { attachments: tokens };
      for (const token of tokens) {
        const media = tenant.media.get(token);
        if (media && table.advancedPerm) media.permTable = { appToken: app.appToken, tableId: table.tableId };
      }
    } else {
      fields[field.fieldId] = value as StoredFieldValue;
    }
  }
  table.records.push({
    recordId: idRng(tenant).token('rec', 10),
    fields,
    lastModifiedTime: (EPOCH_SECONDS - idRng(tenant).int(0, 86400 * 90)) * 1000,
  });
}

export function addWikiSpace(tenant: Tenant, options: { name: string }): WikiSpace {
  const space: WikiSpace = {
    spaceId: String(7_000_000_000_000_000_000n + BigInt(idRng(tenant).int(0, 1e9))),
    name: options.name,
    spaceType: 'team',
    visibility: 'private',
    nodes: [],
  };
  tenant.wikiSpaces.push(space);
  return space;
}

export function addWikiNode(
  tenant: Tenant,
  space: WikiSpace,
  options: {
    objToken: string;
    objType: WikiNode['objType'];
    title: string;
    parentNodeToken?: string;
    /** Makes a shortcut node pointing at this origin node. */
    shortcutOf?: WikiNode;
  },
): WikiNode {
  const nodeToken = idRng(tenant).token('wikcn');
  const t = EPOCH_SECONDS - idRng(tenant).int(0, 86400 * 200);
  const node: WikiNode = {
    nodeToken,
    objToken: options.shortcutOf?.objToken ?? options.objToken,
    objType: options.shortcutOf?.objType ?? options.objType,
    parentNodeToken: options.parentNodeToken ?? '',
    nodeType: options.shortcutOf ? 'shortcut' : 'origin',
    originNodeToken: options.shortcutOf?.nodeToken ?? nodeToken,
    title: options.title,
    objCreateTime: t,
    objEditTime: t + 3600,
  };
  space.nodes.push(node);
  return node;
}

export function addBoard(tenant: Tenant, options: { width?: number; height?: number } = {}): string {
  const whiteboardId = idRng(tenant).token('wbcn');
  tenant.boards.set(whiteboardId, { whiteboardId, width: options.width ?? 64, height: options.height ?? 48 });
  return whiteboardId;
}
