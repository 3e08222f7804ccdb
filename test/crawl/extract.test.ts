import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attachmentExtra, extractRecords } from '../../src/sources/bitable/extract.js';
import { type Block, extractBlocks } from '../../src/sources/docx/extract.js';
import { columnLetters, extractCells } from '../../src/sources/sheets/extract.js';

const sample = (n: number): { blocks: Block[] } =>
  JSON.parse(readFileSync(new URL(`../fixtures/real-samples/testdocx.${n}.json`, import.meta.url), 'utf8'));

describe('extracting media from real Feishu answers', () => {
  it('finds exactly the four image tokens of real sample 1, and nothing in samples 2 and 3', () => {
    const one = extractBlocks(sample(1).blocks);
    expect(one.refs).toHaveLength(4);
    expect(one.refs.every((r) => r.kind === 'image' && r.fileToken.length > 10)).toBe(true);
    expect(extractBlocks(sample(2).blocks).refs).toEqual([]);
    expect(extractBlocks(sample(3).blocks).refs).toEqual([]);
  });

  it('follows synced and reference blocks to their document or base, with or without a table id', () => {
    const { children, refs } = extractBlocks([
      {
        block_id: 'b1',
        block_type: 50,
        reference_synced: { source_document_id: 'doxSrc', source_block_id: 'bS' },
      },
      { block_id: 'b2', block_type: 53, reference_base: { token: 'basA_tblA', view_id: 'vewA' } },
      { block_id: 'b3', block_type: 999, reference_base: { token: 'basB', view_id: 'vewB' } },
      { block_id: 'b4', block_type: 50, reference_synced: {} },
    ]);
    expect(refs).toEqual([]);
    expect(children).toEqual([
      { type: 'docx', token: 'doxSrc', via: 'reference_synced:b1' },
      { type: 'bitable', token: 'basA', via: 'reference_base:b2' },
      { type: 'bitable', token: 'basB', via: 'reference_base:b3' },
    ]);
  });

  it('takes the extra from the real attachment URL, percent-decoded', () => {
    const url =
      'https://open.feishu.cn/open-apis/drive/v1/medias/J7Gdbg/download?extra=%7B%22bitablePerm%22%3A%7B%22tableId%22%3A%22tblx0Ed2NnBULN6a%22%2C%22rev%22%3A5%7D%7D';
    expect(
      attachmentExtra({ file_token: 'J7Gdbg', url }, { tableId: 't', fieldId: 'f', recordId: 'r' }),
    ).toBe('{"bitablePerm":{"tableId":"tblx0Ed2NnBULN6a","rev":5}}');
  });

  it('builds the attachments form of extra when the value carries no URL', () => {
    const refs = extractRecords('tblA', new Map([['Files', 'fldB']]), [
      { record_id: 'recC', fields: { Files: [{ file_token: 'boxD', name: 'x.png' }], Other: 'text' } },
    ]);
    expect(refs).toEqual([
      expect.objectContaining({
        fileToken: 'boxD',
        location: 'recC/fldB',
        extra: '{"bitablePerm":{"tableId":"tblA","attachments":{"fldB":{"recC":["boxD"]}}}}',
      }),
    ]);
  });

  it('locates sheet cells as sheetId!A1, including objects inside a cell array', () => {
    const refs = extractCells('s1', 99, [
      [
        null,
        [
          { type: 'text', text: 'x' },
          { type: 'attachment', fileToken: 'boxA', text: 'a.pdf' },
        ],
      ],
      [
        { type: 'embed-image', fileToken: 'boxB' },
        { id: 207, type: 'embed-image' },
      ],
    ]);
    expect(refs.map((r) => [r.fileToken, r.location, r.kind])).toEqual([
      ['boxA', 's1!B100', 'sheet_attachment'],
      ['boxB', 's1!A101', 'sheet_image'],
    ]);
    expect([0, 25, 26, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
  });
});
