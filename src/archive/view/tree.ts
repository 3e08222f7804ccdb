import type { Db } from '../../inventory/open.js';

/** A document or container as the roots reach it; the same document may sit in several places. */
export interface TreeNode {
  id: number;
  type: string;
  token: string;
  title: string | null;
  status: string;
  children: TreeNode[];
  /** Files stored in the drive itself that this folder lists (they belong to no document). */
  driveFiles: DriveFile[];
}

export interface DriveFile {
  token: string;
  name: string | null;
  status: string;
  path: string | null;
}

export interface RootTree {
  spec: string;
  node: TreeNode;
}

/** Deeper than any real folder or wiki tree; stops a pathological chain of embeds. */
const MAX_DEPTH = 64;

/**
 * The tree people know, read from the inventory: each root's document, then what it lists (drive
 * folders, wiki nodes, a base's tables, documents embedded in a document), through the links the
 * last crawl still saw (`document_links.gone_run IS NULL`), children by title. A document reached
 * along two paths appears on both; one that contains itself (a cycle of embeds) stops there.
 */
export function readTree(db: Db): RootTree[] {
  const children = db.prepare<[number], Omit<TreeNode, 'children' | 'driveFiles'>>(
    `SELECT d.id, d.type, d.token, d.title, d.status FROM document_links l
       JOIN documents d ON d.id = l.child_id
      WHERE l.parent_id = ? AND l.gone_run IS NULL AND d.status <> 'gone' AND d.id <> l.parent_id
      ORDER BY COALESCE(NULLIF(d.title, ''), d.token), d.id`,
  );
  const driveFiles = db.prepare<[number], DriveFile>(
    `SELECT DISTINCT m.file_token AS token, m.name, m.status, m.path FROM media_refs r
       JOIN media m ON m.id = r.media_id
      WHERE r.document_id = ? AND r.kind = 'drive_file' AND r.gone_at IS NULL
      ORDER BY COALESCE(m.name, m.file_token), m.file_token`,
  );
  const roots = db
    .prepare(
      `SELECT r.spec, d.id, d.type, d.token, d.title, d.status FROM roots r
         JOIN documents d ON d.id = r.document_id WHERE d.status <> 'gone' ORDER BY r.id`,
    )
    .all() as (Omit<TreeNode, 'children' | 'driveFiles'> & { spec: string })[];
  const grow = (row: Omit<TreeNode, 'children' | 'driveFiles'>, ancestors: Set<number>): TreeNode => {
    const node: TreeNode = { ...row, children: [], driveFiles: driveFiles.all(row.id) };
    if (ancestors.size >= MAX_DEPTH) return node;
    ancestors.add(row.id);
    for (const child of children.all(row.id)) {
      if (!ancestors.has(child.id)) node.children.push(grow(child, ancestors));
    }
    ancestors.delete(row.id);
    return node;
  };
  return roots.map(({ spec, ...row }) => ({ spec, node: grow(row, new Set()) }));
}
