import { describe, expect, it } from 'vitest';
import { filenameFromContentDisposition } from '../../src/download/content-disposition.js';
import { parseContentLength, parseContentRange } from '../../src/download/content-range.js';

describe('filenameFromContentDisposition', () => {
  it('prefers the RFC 5987 UTF-8 name over the ASCII fallback', () => {
    const header = `attachment; filename="____.png"; filename*=UTF-8''${encodeURIComponent('设计稿.png')}`;
    expect(filenameFromContentDisposition(header)).toBe('设计稿.png');
  });

  it('reads a plain quoted name', () => {
    expect(filenameFromContentDisposition('attachment; filename="report 2024.pdf"')).toBe('report 2024.pdf');
  });

  it('reads raw UTF-8 bytes in a plain name, as Node hands them over (latin1)', () => {
    const header = Buffer.from('attachment; filename="图片.png"', 'utf8').toString('latin1');
    expect(filenameFromContentDisposition(header)).toBe('图片.png');
  });

  it('decodes a percent-encoded plain name and tolerates garbage around it', () => {
    expect(filenameFromContentDisposition('attachment; filename=%E5%9B%BE.png')).toBe('图.png');
    expect(filenameFromContentDisposition('attachment;; filename=my file.png; size=3')).toBe('my file.png');
  });

  it('gives undefined when there is no name', () => {
    expect(filenameFromContentDisposition(undefined)).toBeUndefined();
    expect(filenameFromContentDisposition('inline')).toBeUndefined();
  });
});

describe('parseContentRange', () => {
  it('reads a satisfied range', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, end: 199, total: 1000 });
  });

  it('reads the unsatisfied form a 416 carries', () => {
    expect(parseContentRange('bytes */1000')).toEqual({ total: 1000 });
  });

  it('rejects malformed or impossible ranges', () => {
    for (const bad of [
      'bytes 5-4/10',
      'bytes 0-10/10',
      'items 0-1/2',
      'bytes 0-1',
      '',
      'bytes 1-2/99999999999999999999',
    ]) {
      expect(parseContentRange(bad)).toBeUndefined();
    }
  });

  it('leaves the total undefined when the server does not know it', () => {
    expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, end: 9 });
  });
});

describe('parseContentLength', () => {
  it('accepts digits only', () => {
    expect(parseContentLength('42')).toBe(42);
    expect(parseContentLength('-1')).toBeUndefined();
    expect(parseContentLength('1e3')).toBeUndefined();
  });
});
