import { type BlockTree, block } from './blocks.js';
import { addBitable } from './builders/bitable.js';
import { addDocx } from './builders/docx.js';
import { addDriveFile, addFolder, addShortcut } from './builders/drive.js';
import { addBoard, addMedia } from './builders/media.js';
import { addSpreadsheet, type SheetSpec } from './builders/sheets.js';
import { emptyTenant } from './builders/tenant.js';
import { addWikiNode, addWikiSpace } from './builders/wiki.js';
import type { Bitable, CellValue, DriveEntry, Media, Spreadsheet, Tenant, WikiNode } from './model.js';
import { Rng } from './rng.js';

export interface GenerateOptions {
  /** @default 1 */
  seed?: number;
  /** Folders under the root (every third nested in the one before). @default 2 */
  folders?: number;
  /** @default 3 */
  docxPerFolder?: number;
  /** Spreadsheets in the drive. @default 1 */
  sheets?: number;
  /** Bitable apps in the drive; the second one's first table has advanced permissions. @default 1 */
  bitables?: number;
  /** @default 30 */
  recordsPerTable?: number;
  /** @default 1 */
  wikiSpaces?: number;
  /** Docx nodes per wiki space (nested, plus one shortcut node). @default 4 */
  wikiNodesPerSpace?: number;
  /** Adds one drive file of this many bytes (streamed, never held in memory). */
  largeFileBytes?: number;
  /** Media sizes are drawn from [minMediaBytes, maxMediaBytes]. @default 512, 256 KiB */
  minMediaBytes?: number;
  maxMediaBytes?: number;
}

/** Names real users give files: Chinese, spaces, quotes, reserved characters, emoji, very long. */
const NAMES = [
  '设计稿 v2（最终版）.png',
  '截图 2024-03-01 10.22.31.png',
  'report "Q3".pdf',
  'a/b:c*?<>|.txt',
  'émoji 🎉 party.jpg',
  '100% done.png',
  'image.png',
  'image.png',
  '会议纪要.docx',
  `${'很长的文件名'.repeat(20)}.png`,
  'photo.JPG',
  'no-extension',
  'archive.tar.gz',
  ' leading and trailing .png ',
];
const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  JPG: 'image/jpeg',
  pdf: 'application/pdf',
  txt: 'text/plain',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  gz: 'application/gzip',
};

function mimeOf(name: string): string {
  const ext = name.trim().split('.').pop() ?? '';
  return MIME[ext] ?? 'application/octet-stream';
}

/**
 * Builds a tenant from counts, deterministically from the seed, with the mixes a real tenant has:
 * media shared by several documents, documents embedded in others, shortcuts, empty containers, a few
 * forbidden or deleted media, odd file names.
 */
export function generateTenant(options: GenerateOptions = {}): Tenant {
  const seed = options.seed ?? 1;
  const rng = new Rng(seed);
  const tenant = emptyTenant({ seed });
  const minSize = options.minMediaBytes ?? 512;
  const maxSize = options.maxMediaBytes ?? 256 * 1024;
  const made: Media[] = [];

  const newMedia = (image: boolean): Media => {
    // One in six references reuses an earlier media: the same image pasted into several documents.
    if (made.length > 3 && rng.chance(1 / 6)) return rng.pick(made);
    const name = image ? rng.pick(NAMES.filter((n) => /\.(png|jpg|JPG)\s*$/.test(n))) : rng.pick(NAMES);
    const roll = rng.next();
    const media = addMedia(tenant, {
      name,
      mimeType: mimeOf(name),
      size: rng.int(minSize, maxSize),
      state: roll < 0.02 ? 'forbidden' : roll < 0.04 ? 'deleted' : 'ok',
    });
    made.push(media);
    return media;
  };

  // Containers first, so documents can embed them.
  const folders: DriveEntry[] = [];
  for (let i = 0; i < (options.folders ?? 2); i++) {
    const parent: string = i % 3 === 2 ? folders[i - 1]!.token : 'root';
    folders.push(addFolder(tenant, { name: `文件夹 ${i + 1}`, folder: parent }));
  }
  addFolder(tenant, { name: 'Empty folder', folder: 'root' });

  const spreadsheets: Spreadsheet[] = [];
  for (let i = 0; i < (options.sheets ?? 1); i++) {
    const sheetSpecs: SheetSpec[] = [0, 1].map((s) => {
      const cells: [number, number, CellValue][] = [];
      for (let r = 0; r < 30; r++) cells.push([r, 0, `row ${r + 1}`], [r, 1, r * 10]);
      for (let k = 0; k < 3; k++) {
        const m = newMedia(false);
        cells.push([
          rng.int(1, 29),
          2,
          [{ type: 'attachment', fileToken: m.token, text: m.name, size: m.size, mimeType: m.mimeType }],
        ]);
      }
      const img = newMedia(true);
      cells.push([rng.int(1, 29), 3, { type: 'embed-image', fileToken: img.token, width: 320, height: 240 }]);
      return {
        title: `Sheet${s + 1}`,
        rowCount: 200,
        columnCount: 10,
        cells,
        floatImages: s === 0 ? [newMedia(true).token] : [],
      };
    });
    const folder = folders.length ? rng.pick(folders).token : 'root';
    spreadsheets.push(addSpreadsheet(tenant, { title: `表格 ${i + 1}`, sheets: sheetSpecs, folder }));
  }

  const apps: Bitable[] = [];
  for (let i = 0; i < (options.bitables ?? 1); i++) {
    const records = [];
    for (let r = 0; r < (options.recordsPerTable ?? 30); r++) {
      const attach = rng.chance(0.3) ? [newMedia(rng.chance(0.7)).token] : [];
      if (attach.length && rng.chance(0.2)) attach.push(newMedia(true).token);
      records.push({ 名称: `记录 ${r + 1}`, 数量: r, 附件: attach.length ? attach : null });
    }
    const fields = [
      { name: '名称', type: 1 },
      { name: '数量', type: 2 },
      { name: '附件', type: 17 },
    ];
    const tables = [
      { name: '数据表', advancedPerm: i === 1, fields, records },
      { name: '空表', fields },
    ];
    const app = addBitable(tenant, { name: `多维表格 ${i + 1}`, tables, folder: 'root' });
    // An empty table in an advanced base reads like one the app may not see (records/search answers
    // no records either way), which the crawler reports: only the ordinary bases keep one. Dropped
    // after building so every id the seed gives stays the same.
    if (i === 1) app.tables.pop();
    apps.push(app);
  }

  const docContent = (d: number): BlockTree[] => {
    const content: BlockTree[] = [block.heading(1, `第 ${d + 1} 节`), block.text('正文 text')];
    for (let k = rng.int(0, 4); k > 0; k--) content.push(block.image(newMedia(true).token));
    if (rng.chance(0.3)) {
      const m = newMedia(false);
      content.push(block.file(m.token, m.name));
    }
    if (rng.chance(0.2)) content.push(block.text('see attached', { inlineFileToken: newMedia(false).token }));
    if (rng.chance(0.1)) content.push(block.board(addBoard(tenant)));
    if (rng.chance(0.1))
      content.push(block.table(1, 2, [[block.image(newMedia(true).token)], [block.text('cell')]]));
    if (spreadsheets.length && rng.chance(0.15)) {
      const ss = rng.pick(spreadsheets);
      content.push(block.sheet(ss.token, ss.sheets[0]!.sheetId));
    }
    if (apps.length && rng.chance(0.15)) {
      const app = rng.pick(apps);
      content.push(block.bitable(app.appToken, app.tables[0]!.tableId));
    }
    return content;
  };

  let d = 0;
  const docs = [];
  for (const folder of folders) {
    for (let k = 0; k < (options.docxPerFolder ?? 3); k++, d++) {
      docs.push(addDocx(tenant, { title: `文档 ${d + 1}`, content: docContent(d), folder: folder.token }));
    }
  }
  addDocx(tenant, { title: 'Empty document', folder: 'root' });
  if (docs.length > 1) {
    addShortcut(tenant, {
      name: `快捷方式 ${docs[0]!.title}`,
      targetToken: docs[0]!.documentId,
      targetType: 'docx',
    });
  }
  addDriveFile(tenant, {
    name: '合同 扫描件.pdf',
    size: rng.int(minSize, maxSize),
    mimeType: 'application/pdf',
  });
  if (options.largeFileBytes) {
    addDriveFile(tenant, { name: 'big-video.mp4', size: options.largeFileBytes, mimeType: 'video/mp4' });
  }

  for (let s = 0; s < (options.wikiSpaces ?? 1); s++) {
    const space = addWikiSpace(tenant, { name: `知识库 ${s + 1}` });
    const nodes: WikiNode[] = [];
    for (let n = 0; n < (options.wikiNodesPerSpace ?? 4); n++, d++) {
      const doc = addDocx(tenant, { title: `Wiki 页面 ${n + 1}`, content: docContent(d), folder: null });
      const parent = n > 0 && rng.chance(0.6) ? rng.pick(nodes).nodeToken : '';
      nodes.push(
        addWikiNode(tenant, space, {
          objToken: doc.documentId,
          objType: 'docx',
          title: doc.title,
          parentNodeToken: parent,
        }),
      );
    }
    if (nodes.length) {
      addWikiNode(tenant, space, { objToken: '', objType: 'docx', title: 'shortcut', shortcutOf: nodes[0]! });
    }
  }
  return tenant;
}
