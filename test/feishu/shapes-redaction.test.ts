import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeJson } from '../../src/feishu/shapes/describe.js';
import { SHAPE_FILE, ShapeRecorder } from '../../src/feishu/shapes/recorder.js';

const SECRETS = [
  'doxcnXhd93zqoLnmVPGIPTy7AFe',
  'boxcnrHpsg1QDqXAAAyachabcef',
  'Quarterly plan 季度计划',
  'https://open.feishu.cn/open-apis/drive/v1/medias/boxcn/download?extra=%7B%7D',
  'Customer name',
  'alice@example.com',
];

const records = {
  code: 0,
  msg: 'success',
  data: {
    has_more: true,
    page_token: SECRETS[0],
    total: 2,
    items: [
      {
        record_id: 'recAbCdEf0123',
        fields: {
          [SECRETS[4]!]: [{ text: SECRETS[5], type: 'text' }],
          Files: [{ file_token: SECRETS[1], name: SECRETS[2], size: 42, type: 'image/png', url: SECRETS[3] }],
        },
      },
      { record_id: 'recAbCdEf0124', fields: { Files: [{ file_token: SECRETS[1], name: 'x', size: 1 }] } },
    ],
    [SECRETS[0]!]: { title: SECRETS[2] },
  },
};

describe('response shapes', () => {
  it('keep key paths, types, codes and page sizes, and no token, name, text or URL', () => {
    const shape = describeJson(records);
    expect(shape.keys).toContain('data.items[].fields.<name>[].file_token: string');
    expect(shape.keys).toContain('data.has_more: boolean');
    expect(shape.keys).toContain('data.<key>.title: string');
    expect(shape.arrays).toEqual({ 'data.items': 2 });
    const text = JSON.stringify(shape);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('write one entry per distinct answer with the status, code, header names and page sizes seen', () => {
    const recorder = new ShapeRecorder();
    const headers = { 'content-type': 'application/json', 'x-tt-logid': SECRETS[0] };
    recorder.record('bitable.records', { status: 200, headers, json: records });
    recorder.record('bitable.records', {
      status: 200,
      headers,
      json: { ...records, data: { ...records.data, items: [records.data.items[0]] } },
    });
    recorder.record('bitable.records', { status: 400, headers, json: { code: 1254030, msg: SECRETS[2] } });
    recorder.record('media.download', {
      status: 200,
      headers: { 'content-disposition': `attachment; filename="${SECRETS[2]}"` },
      binary: true,
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'fb-shapes-'));
    recorder.write(dir);
    // A second run's answers merge into the same file.
    recorder.record('bitable.records', { status: 200, headers, json: records });
    recorder.write(dir);
    const text = readFileSync(path.join(dir, SHAPE_FILE), 'utf8');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const file = JSON.parse(text);
    const [ok, tooLarge] = file.endpoints['bitable.records'];
    expect(ok).toMatchObject({ status: 200, code: 0, seen: 3, pageSizes: { 'data.items': [1, 2] } });
    expect(ok.headers).toEqual(['content-type', 'x-tt-logid']);
    expect(tooLarge).toMatchObject({ status: 400, code: 1254030, keys: ['code: number', 'msg: string'] });
    expect(file.endpoints['media.download']).toEqual([
      { status: 200, headers: ['content-disposition'], body: 'binary', seen: 1 },
    ]);
  });
});
