import type { Block } from './model.js';

/**
 * Docx block trees for hand-built documents, in the wire shapes of real-samples/ (payload key named
 * after the block type, empty `text_element_style`, etc.). `addDocx` flattens them depth first and
 * gives every block its id, `parent_id` and `children`.
 */
export interface BlockTree {
  blockType: number;
  payload: Record<string, unknown>;
  children?: BlockTree[];
}

/** [unconfirmed] No page gives reference_base's block_type; the crawler must go by the payload key. */
export const REFERENCE_BASE_TYPE = 53;

const HEADING_KEYS = ['heading1', 'heading2', 'heading3', 'heading4', 'heading5', 'heading6'];

function textBody(content: string, inlineFileToken?: string): Record<string, unknown> {
  const elements: unknown[] = [{ text_run: { content, text_element_style: {} } }];
  // An inline file is an element of a text block, not a block of its own: a crawler that only looks
  // at block types 23/27 misses it.
  if (inlineFileToken) elements.push({ file: { file_token: inlineFileToken, source_block_id: '' } });
  return { style: {}, elements };
}

export const block = {
  text(content: string, options: { inlineFileToken?: string } = {}): BlockTree {
    return { blockType: 2, payload: { text: textBody(content, options.inlineFileToken) } };
  },
  heading(level: 1 | 2 | 3 | 4 | 5 | 6, content: string): BlockTree {
    return { blockType: 2 + level, payload: { [HEADING_KEYS[level - 1]!]: textBody(content) } };
  },
  bullet(content: string, children?: BlockTree[]): BlockTree {
    return { blockType: 12, payload: { bullet: textBody(content) }, ...(children ? { children } : {}) };
  },
  code(content: string): BlockTree {
    return {
      blockType: 14,
      payload: { code: { ...textBody(content), style: { language: 1, wrap: false } } },
    };
  },
  divider(): BlockTree {
    return { blockType: 22, payload: { divider: {} } };
  },
  image(token: string, width = 800, height = 600): BlockTree {
    return { blockType: 27, payload: { image: { width, height, token } } };
  },
  /** A file block (23) inside its view block (33), as the editor creates them. */
  file(token: string, name: string, viewType: 1 | 2 = 1): BlockTree {
    return {
      blockType: 33,
      payload: { view: { view_type: viewType } },
      children: [{ blockType: 23, payload: { file: { token, name, view_type: viewType } } }],
    };
  },
  /** An embedded sheet: token is `<spreadsheetToken>_<sheetId>`. */
  sheet(spreadsheetToken: string, sheetId: string): BlockTree {
    return { blockType: 30, payload: { sheet: { token: `${spreadsheetToken}_${sheetId}` } } };
  },
  /** An embedded bitable: token is `<appToken>_<tableId>`. */
  bitable(appToken: string, tableId: string): BlockTree {
    return { blockType: 18, payload: { bitable: { token: `${appToken}_${tableId}`, view_type: 1 } } };
  },
  /**
   * A synced block pasted from another document (50): its content lives in the source document.
   * https://open.feishu.cn/document/docs/docs/data-structure/block (ReferenceSynced)
   */
  referenceSynced(sourceDocumentId: string, sourceBlockId = 'blk_source'): BlockTree {
    return {
      blockType: 50,
      payload: {
        reference_synced: { source_document_id: sourceDocumentId, source_block_id: sourceBlockId },
      },
    };
  },
  /**
   * A reference to a base (`reference_base.{token, view_id}`, in the SDK's block types). Its
   * block_type and whether `token` carries `_<tableId>` are [unconfirmed]: no doc page lists them.
   */
  referenceBase(token: string, viewId = 'vewDefault'): BlockTree {
    return { blockType: REFERENCE_BASE_TYPE, payload: { reference_base: { token, view_id: viewId } } };
  },
  board(whiteboardId: string): BlockTree {
    return { blockType: 43, payload: { board: { token: whiteboardId, align: 2 } } };
  },
  /**
   * A block of a type the crawler does not handle whose payload carries a `token` (a media kind Feishu
   * may add): `{block_type, [key]: {token, ...fields}}`, as the documented payloads are shaped.
   */
  unknown(blockType: number, key: string, token: string, fields: Record<string, unknown> = {}): BlockTree {
    return { blockType, payload: { [key]: { token, ...fields } } };
  },
  /** A table (31) of `rows` x `columns` cells (32), each cell holding the given blocks. */
  table(rows: number, columns: number, cells: BlockTree[][]): BlockTree {
    return {
      blockType: 31,
      payload: { table: { property: { row_size: rows, column_size: columns } } },
      children: cells.map((content) => ({ blockType: 32, payload: { table_cell: {} }, children: content })),
    };
  },
};

/** Flattens a page's block trees into API-ordered blocks; `newId` names each block. */
export function flattenBlocks(
  documentId: string,
  title: string,
  trees: BlockTree[],
  newId: () => string,
): Block[] {
  const page: Block = {
    block_id: documentId,
    block_type: 1,
    children: [],
    page: { style: { align: 1 }, elements: [{ text_run: { content: title, text_element_style: {} } }] },
  };
  const out: Block[] = [page];
  const visit = (tree: BlockTree, parent: Block): void => {
    const b: Block = { block_id: newId(), parent_id: parent.block_id, block_type: tree.blockType };
    Object.assign(b, tree.payload);
    parent.children = [...(parent.children ?? []), b.block_id];
    out.push(b);
    for (const child of tree.children ?? []) visit(child, b);
    if (tree.blockType === 31) {
      (b.table as { cells?: string[] }).cells = [...(b.children ?? [])];
    }
  };
  for (const tree of trees) visit(tree, page);
  return out;
}
