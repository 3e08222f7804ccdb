import type { Root } from '../roots/types.js';
import { MY_SPACE_TOKEN } from '../sources/drive/my-space.js';
import type { Target } from '../sources/types.js';
import { MY_LIBRARY_SPACE_ID } from '../sources/wiki/my-library.js';
import { WIKI_SPACES_TOKEN } from '../sources/wiki/spaces.js';

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
    case 'my-space':
      return { type: 'my_space', token: MY_SPACE_TOKEN, title: 'My Space' };
    case 'my-library':
      return { type: 'wiki_space', token: MY_LIBRARY_SPACE_ID, title: 'My library' };
    case 'wiki-spaces':
      return { type: 'wiki_spaces', token: WIKI_SPACES_TOKEN, title: 'Wiki spaces' };
    case 'unsupported':
      return { type: root.kind, token: root.token };
  }
}
