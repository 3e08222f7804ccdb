import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attachmentExtra, extractRecords, unbackableRecords } from '../../src/sources/bitable/extract.js';
import { type Block, extractBlocks } from '../../src/sources/docx/extract.js';
import {
  columnLetters,
  extractCells,
  unbackableCells,
  unbackableFloats,
} from '../../src/sources/sheets/extract.js';

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
    const { children, refs, unbackable } = extractBlocks([
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
    // Read by their payload whatever the block_type: not counted as unknown blocks with a token.
    expect(unbackable).toEqual([]);
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

  it('names what cannot be downloaded: tokenless cell images and attachments, unknown cell types, not text or links', () => {
    const found = unbackableCells('s1', 0, [
      [
        { id: 207, type: 'embed-image' },
        [
          { type: 'text', text: 'x' },
          { type: 'url', text: 'y', link: 'https://example.com' },
          { type: 'mention', textType: 'fileToken', text: 'shtcnX', objType: 'sheet' },
          { type: 'attachment', text: 'a.pdf' },
        ],
        { type: 'embed-image', fileToken: 'boxB' },
        { type: 'hologram', fileToken: 'boxH' },
        { fileToken: 'boxT' },
        { type: 'formula', text: '=A1' },
      ],
    ]);
    expect(found.map((u) => [u.location, u.kind, u.reason, u.detail])).toEqual([
      ['s1!A1', 'sheet_image', 'no_token', undefined],
      ['s1!B1[3]', 'sheet_attachment', 'no_token', undefined],
      ['s1!D1', 'sheet_object', 'unknown_type', 'hologram'],
      ['s1!E1', 'sheet_object', 'unknown_type', '(no type)'],
    ]);
  });

  it('names docx image and file blocks without a token and unknown block types with one, not mind notes', () => {
    const { unbackable, refs } = extractBlocks([
      { block_id: 'b1', block_type: 27, image: { token: '' } },
      { block_id: 'b2', block_type: 23, file: { name: 'x.pdf' } },
      { block_id: 'b3', block_type: 29, mindnote: { token: 'bmncnX' } },
      { block_id: 'b4', block_type: 99, future: { token: 'boxF' } },
      {
        block_id: 'b5',
        block_type: 2,
        text: { elements: [{ text_run: { content: 'x' } }, { file: { source_block_id: '' } }] },
      },
    ]);
    expect(refs).toEqual([]);
    expect(unbackable.map((u) => [u.location, u.kind, u.detail])).toEqual([
      ['b1', 'docx_image', undefined],
      ['b2', 'docx_file', undefined],
      ['b4', 'docx_block', 'block_type 99 future'],
      ['b5/text[1]', 'docx_inline_file', undefined],
    ]);
  });

  it('names bitable attachments without a file_token, in attachment fields only', () => {
    const fields = new Map([['Files', 'fldB']]);
    const records = [
      {
        record_id: 'recC',
        fields: { Files: [{ file_token: 'boxD' }, { name: 'lost.png', size: 3 }], Other: [{}] },
      },
    ];
    expect(unbackableRecords(fields, records)).toEqual([
      { location: 'recC/fldB[1]', kind: 'bitable_attachment', reason: 'no_token' },
    ]);
    expect(extractRecords('tblA', fields, records).map((r) => r.fileToken)).toEqual(['boxD']);
  });

  it('names floating images listed without a token', () => {
    expect(
      unbackableFloats('s1', [
        { float_image_id: 'f1', float_image_token: 'boxA' },
        { float_image_id: 'f2', float_image_token: '' },
        { float_image_id: 'f3' },
      ]).map((u) => u.location),
    ).toEqual(['float:f2', 'float:f3']);
  });
});
