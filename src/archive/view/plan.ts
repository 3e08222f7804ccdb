import { kindWord, splitTableToken } from '../../inventory/document-names.js';
import type { LatestSnapshot } from '../../inventory/snapshots.js';
import { FolderNames } from '../../naming/unique-names.js';
import type { DriveFile, RootTree, TreeNode } from './tree.js';

/** One file of the view and the snapshot it comes from. Paths are relative to outputDir, `/`-separated. */
export interface ViewFile {
  path: string;
  snapshot: LatestSnapshot;
  /** For a sheet CSV: which sheet of the snapshot. */
  sheetId?: string;
}

/** One line of the tree in index.md. */
export interface ViewEntry {
  label: string;
  /** What people call it: Folder, Document, Base table, Wiki page... */
  kind: string;
  /** A rendered file (relative to outputDir), when there is one. */
  path?: string;
  /** A drive file: its stored copy (relative to outputDir), when backed up. */
  stored?: string;
  /** Why there is no file. */
  note?: string;
  children: ViewEntry[];
}

export interface ViewPlan {
  files: ViewFile[];
  /** `docx:<token>`, `sheet:<spreadsheet>_<sheetId>`, `bitable:<app>_<table>` -> its first view path. */
  byKey: Map<string, string>;
  /** The first sheet's CSV of each spreadsheet, for embeds that name no sheet. */
  firstSheet: Map<string, string>;
  /** The roots and what they hold, as index.md shows them. */
  tree: ViewEntry[];
}

export const VIEW_DIR = 'view';
/** Snapshots of documents no root reaches any more: kept, and shown apart. */
export const GONE_FOLDER = 'No longer in Feishu';

export interface SheetInfo {
  sheet_id: string;
  title?: string;
}

/**
 * Where every rendered file goes (see ../LAYOUT.md), decided before anything is rendered so links
 * between documents (a docx embedding a sheet) can point at files that do not exist yet. The view is
 * laid out as the roots are: a folder per root, then its drive folders and wiki pages by title; a
 * docx is `<title>.md`, a spreadsheet and a base are folders of CSVs; what a document embeds and a
 * wiki page's sub-pages go in a folder beside it of the same name. Every name is claimed through
 * `FolderNames` (sanitised, unique in its folder). A document reached from two places is in both.
 */
export function planView(
  roots: readonly RootTree[],
  snapshots: readonly LatestSnapshot[],
  sheetsOf: (s: LatestSnapshot) => SheetInfo[],
): ViewPlan {
  const plan: ViewPlan = { files: [], byKey: new Map(), firstSheet: new Map(), tree: [] };
  const byDocument = new Map(snapshots.map((s) => [s.document_id, s]));
  const placed = new Set<number>();
  const file = (path: string, snapshot: LatestSnapshot, key: string, sheetId?: string): void => {
    plan.files.push(sheetId ? { path, snapshot, sheetId } : { path, snapshot });
    if (!plan.byKey.has(key)) plan.byKey.set(key, path);
    placed.add(snapshot.document_id);
  };

  const sheetFiles = (folder: string, s: LatestSnapshot, names: FolderNames): ViewEntry[] =>
    sheetsOf(s).map((sheet) => {
      const path = `${folder}/${names.claim(sheet.title ?? null, sheet.sheet_id)}.csv`;
      file(path, s, `sheet:${s.token}_${sheet.sheet_id}`, sheet.sheet_id);
      if (!plan.firstSheet.has(s.token)) plan.firstSheet.set(s.token, path);
      return { label: sheet.title || sheet.sheet_id, kind: 'Sheet', path, children: [] };
    });

  /** Places `node` in `folder`, named `stem` there; returns its entry for the index. */
  const place = (node: TreeNode, folder: string, names: FolderNames, label?: string): ViewEntry => {
    const title = label ?? (node.title || node.token);
    const entry: ViewEntry = { label: title, kind: kindWord(node.type), children: [] };
    const stem = (): string => names.claim(title, node.token);
    const inside = (children: readonly TreeNode[], path: string, inner = new FolderNames()): ViewEntry[] =>
      children.filter(shown).map((c) => place(c, path, inner));
    switch (node.type) {
      case 'folder':
      case 'wiki_space': {
        const path = `${folder}/${stem()}`;
        const inner = new FolderNames();
        entry.children = [...inside(node.children, path, inner), ...driveEntries(node.driveFiles)];
        return entry;
      }
      case 'wiki_node': {
        // The page is its document, named by the page's title; sub-pages sit in a folder beside it.
        const s = stem();
        const content = node.children.find((c) => c.type !== 'wiki_node' && shown(c));
        const pages = node.children.filter((c) => c.type === 'wiki_node');
        const own = content ? placeAs(content, folder, s, title) : undefined;
        if (own?.path) entry.path = own.path;
        if (own?.note) entry.note = own.note;
        if (!content) entry.note = 'no document under this page';
        entry.children = [...(own?.children ?? []), ...inside(pages, `${folder}/${s}`)];
        return entry;
      }
      default:
        return placeAs(node, folder, stem(), title);
    }
  };

  /** A document placed under the stem already claimed for it. */
  const placeAs = (node: TreeNode, folder: string, stem: string, label: string): ViewEntry => {
    const entry: ViewEntry = { label, kind: kindWord(node.type), children: [] };
    const snapshot = byDocument.get(node.id);
    const beside = `${folder}/${stem}`;
    const embedded = (names = new FolderNames()): ViewEntry[] =>
      node.children.filter((c) => shown(c) && c.type !== 'bitable_table').map((c) => place(c, beside, names));
    switch (node.type) {
      case 'docx':
        if (snapshot) {
          entry.path = `${folder}/${stem}.md`;
          file(entry.path, snapshot, `docx:${node.token}`);
        } else entry.note = missing(node);
        entry.children = embedded();
        break;
      case 'sheet': {
        const names = new FolderNames();
        entry.children = snapshot ? sheetFiles(beside, snapshot, names) : [];
        if (!snapshot) entry.note = missing(node);
        entry.children.push(...embedded(names));
        break;
      }
      case 'bitable': {
        const names = new FolderNames();
        for (const table of node.children.filter((c) => c.type === 'bitable_table')) {
          entry.children.push(
            placeAs(
              table,
              beside,
              names.claim(table.title, splitTableToken(table.token).table),
              table.title || table.token,
            ),
          );
        }
        if (entry.children.length === 0) entry.note = missing(node);
        entry.children.push(...embedded(names));
        break;
      }
      case 'bitable_table':
        if (snapshot) {
          entry.path = `${folder}/${stem}.csv`;
          file(entry.path, snapshot, `bitable:${node.token}`);
        } else entry.note = missing(node);
        break;
      case 'doc':
      case 'mindnote':
      case 'slides':
        entry.note = 'the Open API cannot read this kind of document; not in the archive';
        break;
      default:
        entry.children = embedded();
    }
    return entry;
  };

  const top = new FolderNames();
  top.reserve('index.md');
  top.claim(GONE_FOLDER, 'gone');
  for (const root of roots) {
    const node = root.node;
    const title = node.title || `${kindWord(node.type)} ${node.token}`;
    const folder = `${VIEW_DIR}/${top.claim(title, node.token)}`;
    const entry: ViewEntry = { label: title, kind: kindWord(node.type), children: [] };
    if (node.type === 'folder' || node.type === 'wiki_space') {
      const names = new FolderNames();
      entry.children = [
        ...node.children.filter(shown).map((c) => place(c, folder, names)),
        ...driveEntries(node.driveFiles),
      ];
    } else {
      entry.children = [place(node, folder, new FolderNames())];
    }
    plan.tree.push(entry);
  }

  // Snapshots of documents no root reaches now (deleted in Feishu, or a root removed from the config).
  const left = snapshots.filter((s) => !placed.has(s.document_id));
  if (left.length > 0) {
    const folder = `${VIEW_DIR}/${GONE_FOLDER}`;
    const names = new FolderNames();
    const gone: ViewEntry = { label: GONE_FOLDER, kind: 'Folder', children: [] };
    for (const s of left) {
      const node: TreeNode = {
        id: s.document_id,
        type: s.type,
        token: s.token,
        title: s.title,
        status: 'gone',
        children: [],
        driveFiles: [],
      };
      gone.children.push(placeAs(node, folder, names.claim(s.title, s.token), s.title || s.token));
    }
    plan.tree.push(gone);
  }
  return plan;
}

/** Whiteboards are images inside their document, linked from it; not entries of their own. */
function shown(node: TreeNode): boolean {
  return node.type !== 'board';
}

function driveEntries(files: readonly DriveFile[]): ViewEntry[] {
  return files.map((f) => ({
    label: f.name || f.token,
    kind: kindWord('file'),
    ...(f.status === 'done' && f.path ? { stored: f.path } : { note: `not backed up (${f.status})` }),
    children: [],
  }));
}

function missing(node: TreeNode): string {
  return `not captured yet (${node.status})`;
}
