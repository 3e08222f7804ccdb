import { describe, expect, it } from 'vitest';
import type { BitableField, LinkResolver } from '../../src/archive/render/index.js';
import { renderBitableCsv } from '../../src/archive/render/index.js';
import { parseCsv } from './rfc4180.js';

const links: LinkResolver = {
  media: (token) => (token.startsWith('missing') ? undefined : `../media/${token}.png`),
  document: () => undefined,
};

const fields: BitableField[] = [
  { field_id: 'fld1', field_name: '任务', type: 1 },
  { field_id: 'fld2', field_name: 'Estimate', type: 2 },
  { field_id: 'fld3', field_name: 'Status', type: 3 },
  { field_id: 'fld4', field_name: 'Tags', type: 4 },
  { field_id: 'fld5', field_name: 'Due', type: 5 },
  { field_id: 'fld7', field_name: 'Done', type: 7 },
  { field_id: 'fld11', field_name: 'Owner', type: 11 },
  { field_id: 'fld15', field_name: 'Link', type: 15 },
  { field_id: 'fld17', field_name: 'Files', type: 17 },
  { field_id: 'fld18', field_name: 'Parent', type: 18 },
  { field_id: 'fld20', field_name: 'Total', type: 20 },
  { field_id: 'fld22', field_name: 'Place', type: 22 },
  { field_id: 'fld1001', field_name: 'Created', type: 1001 },
  { field_id: 'fld99', field_name: 'Future', type: 4242 },
];

// The attachment value as the official field docs show it, `url` carrying the server's `extra`.
const realAttachment = {
  file_token: 'J7GdbgTestToken',
  name: '58cc930b89.png',
  size: 108867,
  type: 'image/png',
  url: 'https://open.feishu.cn/open-apis/drive/v1/medias/J7GdbgTestToken/download?extra=%7B%22bitablePerm%22%3A%7B%22tableId%22%3A%22tblx0Ed2NnBULN6a%22%2C%22rev%22%3A5%7D%7D',
  tmp_url:
    'https://open.feishu.cn/open-apis/drive/v1/medias/batch_get_tmp_download_url?file_tokens=J7GdbgTestToken',
};

const record = {
  record_id: 'recA',
  fields: {
    任务: [
      { type: 'text', text: '写报告, 第一版' },
      { type: 'url', text: 'spec', link: 'https://example.com' },
    ],
    Estimate: 3.5,
    Status: 'Doing',
    Tags: ['urgent', 'Q3'],
    Due: 1700000000000,
    Done: true,
    Owner: [
      { id: 'ou_1', name: '张三', en_name: 'Zhang San', email: 'z@example.com' },
      { id: 'ou_2', name: 'Li' },
    ],
    Link: { link: 'https://feishu.cn', text: 'Feishu' },
    Files: [realAttachment, { file_token: 'missingTok', name: 'gone.pdf' }],
    Parent: { link_record_ids: ['recP1', 'recP2'] },
    Total: { type: 2, value: [42] },
    Place: { full_address: '北京市海淀区', location: '116.3,39.9', name: '中关村' },
    Created: 1700000000000,
    Future: { shape: 'new', n: 1 },
  },
};

describe('renderBitableCsv', () => {
  const [header, row] = parseCsv(renderBitableCsv(fields, [record], { links }));

  it('has record_id and then one column per field, in field order', () => {
    expect(header).toEqual(['record_id', ...fields.map((f) => f.field_name)]);
    expect(row?.[0]).toBe('recA');
  });

  it('renders each field type the way a reader expects', () => {
    const byName = Object.fromEntries(header!.map((name, i) => [name, row![i]]));
    expect(byName).toMatchObject({
      任务: '写报告, 第一版spec (https://example.com)',
      Estimate: '3.5',
      Status: 'Doing',
      Tags: 'urgent; Q3',
      Due: '2023-11-14T22:13:20.000Z',
      Done: 'TRUE',
      Owner: '张三; Li',
      Link: 'Feishu (https://feishu.cn)',
      Parent: 'recP1; recP2',
      Total: '42',
      Place: '北京市海淀区',
      Created: '2023-11-14T22:13:20.000Z',
      Future: '{"shape":"new","n":1}',
    });
  });

  it('links attachments to their local files joined with "; " and names the ones not backed up', () => {
    const files = row![header!.indexOf('Files')];
    expect(files).toBe('../media/J7GdbgTestToken.png; [attachment not backed up: gone.pdf (missingTok)]');
  });

  it('leaves empty fields empty and reads records keyed by field id too', () => {
    const [, sparse] = parseCsv(
      renderBitableCsv(fields, [{ record_id: 'recB', fields: { fld2: 7 } }], { links }),
    );
    expect(sparse).toEqual(['recB', '', '7', ...Array(fields.length - 2).fill('')]);
  });

  it('renders lookup and formula results by the type they compute', () => {
    const f: BitableField[] = [
      { field_id: 'a', field_name: 'Dates', type: 19 },
      { field_id: 'b', field_name: 'Names', type: 20 },
    ];
    const csv = renderBitableCsv(f, [
      {
        record_id: 'r',
        fields: {
          Dates: { type: 5, value: [0, 86400000] },
          Names: { type: 1, value: [{ type: 'text', text: 'x' }] },
        },
      },
    ]);
    expect(parseCsv(csv)[1]).toEqual(['r', '1970-01-01T00:00:00.000Z; 1970-01-02T00:00:00.000Z', 'x']);
  });

  it('opens in Excel with Chinese headers when the BOM option is on', () => {
    expect(renderBitableCsv(fields.slice(0, 1), [], { bom: true })).toBe('\uFEFFrecord_id,任务\r\n');
  });
});
