import { describe, expect, it } from 'vitest';
import { parseRootUrl } from '../../src/config/index.js';

describe('parseRootUrl', () => {
  it.each([
    ['https://acme.feishu.cn/docx/doxcnAbCdEf123', { type: 'docx', token: 'doxcnAbCdEf123' }],
    ['https://acme.larksuite.com/sheets/shtcnAbCdEf?sheet=0b1c2d', { type: 'sheet', token: 'shtcnAbCdEf' }],
    [
      'https://acme.feishu.cn/base/bascnAbCdEf?table=tblAbc&view=vewX',
      { type: 'bitable', token: 'bascnAbCdEf' },
    ],
    ['https://acme.feishu.cn/drive/folder/fldcnAbCdEf', { type: 'folder', token: 'fldcnAbCdEf' }],
    ['https://acme.feishu.cn/wiki/wikcnAbCdEf#heading', { type: 'wiki_node', nodeToken: 'wikcnAbCdEf' }],
    [
      'https://acme.feishu.cn/wiki/settings/7034502641455497244',
      { type: 'wiki', spaceId: '7034502641455497244' },
    ],
    [
      'https://acme.feishu.cn/wiki/space/7034502641455497244?from=x',
      { type: 'wiki', spaceId: '7034502641455497244' },
    ],
    ['https://docs.example-corp.com/file/boxcnAbCdEf', { type: 'file', token: 'boxcnAbCdEf' }],
  ])('reads %s', (url, root) => {
    expect(parseRootUrl(url)).toEqual({ ok: true, root });
  });

  it.each([
    ['https://acme.feishu.cn/docs/doccnAbCdEf', 'doc'],
    ['https://acme.feishu.cn/mindnotes/bmncnAbCdEf', 'mindnote'],
    ['https://acme.feishu.cn/slides/sldcnAbCdEf', 'slides'],
  ])('keeps %s as an unsupported root with a reason', (url, kind) => {
    const r = parseRootUrl(url);
    expect(r.ok && r.root.type === 'unsupported' && r.root.kind).toBe(kind);
    expect(r.ok && r.root.type === 'unsupported' && r.root.reason.length).toBeGreaterThan(20);
  });

  it.each([
    ['not a url', 'not a URL'],
    ['ftp://acme.feishu.cn/docx/doxcnAbCdEf', 'not an http(s) URL'],
    ['https://acme.feishu.cn/drive/home/', 'only folder URLs'],
    ['https://acme.feishu.cn/docx/', 'no document token'],
    ['https://example.com/some/page', 'not a Feishu/Lark document'],
  ])('explains why %s cannot be used', (url, message) => {
    const r = parseRootUrl(url);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toContain(message);
  });
});
