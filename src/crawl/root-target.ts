import type { Root } from '../config/types.js';
import type { Target } from '../sources/types.js';

/** The first document a configured root stands for. */
export function rootTarget(root: Root): Target {
  switch (root.type) {
    case 'folder':
      return { type: 'folder', token: root.token };
    case 'wiki':
      return { type: 'wiki_space', token: root.spaceId };
    case 'wiki_node':
      return { type: 'wiki_node', token: root.nodeToken };
    case 'docx':
      return { type: 'docx', token: root.token };
    case 'sheet':
      return { type: 'sheet', token: root.token, scope: root.sheetId };
    case 'bitable':
      return { type: 'bitable', token: root.token, scope: root.tableId };
    case 'file':
      return { type: 'file', token: root.token };
    case 'unsupported':
      return { type: root.kind, token: root.token };
  }
}
