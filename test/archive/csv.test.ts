import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderSheetCsv } from '../../src/archive/render/index.js';
import { parseCsv } from './rfc4180.js';

describe('CSV files', () => {
  it('quotes fields with commas, quotes and line breaks, and only those', () => {
    const csv = renderSheetCsv([['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\ronly', ' spaced ']]);
    expect(csv).toBe('plain,"a,b","say ""hi""","two\nlines","cr\ronly", spaced \r\n');
  });

  it('ends every record with CRLF and pads short rows to the widest', () => {
    expect(renderSheetCsv([['a', 'b', 'c'], ['d'], []])).toBe('a,b,c\r\nd,,\r\n,,\r\n');
  });

  it('keeps a multi-line cell as one field a reader gets back intact', () => {
    const cell = '第一行\r\n第二行, 带逗号\n"第三行"';
    expect(parseCsv(renderSheetCsv([[cell, 'next']]))).toEqual([[cell, 'next']]);
  });

  it('writes Chinese text as UTF-8 and starts with a BOM only when asked', () => {
    const values = [
      ['姓名', '部门'],
      ['张三', '研发部'],
    ];
    expect(renderSheetCsv(values)).toBe('姓名,部门\r\n张三,研发部\r\n');
    const withBom = renderSheetCsv(values, { bom: true });
    expect(withBom.startsWith('\uFEFF姓名')).toBe(true);
    expect(Buffer.from(withBom, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('makes text that Excel would run as a formula inert when formula escaping is on', () => {
    const values = [['=HYPERLINK("http://evil","x")', '+1', '-cmd', '@SUM(A1)', '\tTab', 'safe', -5, 3.5]];
    expect(parseCsv(renderSheetCsv(values, { escapeFormulas: true }))).toEqual([
      ['\'=HYPERLINK("http://evil","x")', "'+1", "'-cmd", "'@SUM(A1)", "'\tTab", 'safe', '-5', '3.5'],
    ]);
    // Off by default: the data stays exactly as Feishu holds it.
    expect(parseCsv(renderSheetCsv(values))[0]?.[0]).toBe('=HYPERLINK("http://evil","x")');
  });

  it('keeps a row holding one empty cell as a record instead of a blank line', () => {
    expect(renderSheetCsv([['a'], [''], ['b']])).toBe('a\r\n""\r\nb\r\n');
    expect(parseCsv(renderSheetCsv([['a'], [''], ['b']]))).toEqual([['a'], [''], ['b']]);
  });

  it('round-trips any table of strings through an RFC 4180 reader', () => {
    const table = fc.array(fc.array(fc.string({ unit: 'grapheme-ascii' }), { minLength: 3, maxLength: 3 }), {
      maxLength: 5,
    });
    fc.assert(
      fc.property(table, (rows) => {
        expect(parseCsv(renderSheetCsv(rows))).toEqual(rows);
      }),
    );
  });

  it('round-trips any single string, however hostile, through an RFC 4180 reader', () => {
    const hostile = fc.oneof(fc.string({ unit: 'binary' }), fc.stringMatching(/^[",\r\n a]*$/));
    fc.assert(
      fc.property(hostile, (s) => {
        expect(parseCsv(renderSheetCsv([[s, 'x']]))).toEqual([[s, 'x']]);
      }),
      { numRuns: 200 },
    );
  });
});
