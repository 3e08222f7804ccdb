import { describe, expect, it } from 'vitest';
import { filenameFromContentDisposition } from '../../src/download/content-disposition.js';
import { parseContentLength, parseContentRange } from '../../src/download/content-range.js';
import { judgePartial, judgeUnsatisfiable } from '../../src/download/fetch-media.js';
import { UNKNOWN_TOTAL } from '../../src/download/part-file.js';

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
    expect(parseContentRange('Bytes */0')).toEqual({ total: 0 });
    expect(parseContentRange(' bytes */1000 ')).toEqual({ total: 1000 });
  });

  it('refuses an unsatisfied form without a usable length', () => {
    for (const bad of [
      'bytes */*',
      'bytes */',
      'bytes * /1000',
      'bytes */-1',
      'bytes */1e3',
      'bytes */10 x',
    ]) {
      expect(parseContentRange(bad)).toBeUndefined();
    }
    expect(parseContentRange('bytes */99999999999999999999')).toBeUndefined();
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

describe('judgeUnsatisfiable (a 416 to Range: bytes=<have>-)', () => {
  const whole = { whole: true };
  it('takes the .part as the whole file when the 416 gives exactly its length and nothing disagrees', () => {
    expect(judgeUnsatisfiable({ have: 500, expectedTotal: 500 }, true, 'bytes */500')).toEqual(whole);
    expect(judgeUnsatisfiable({ have: 500 }, true, 'bytes */500')).toEqual(whole);
    // A sidecar started for a body that announced no length knows nothing to disagree with.
    expect(judgeUnsatisfiable({ have: 500, expectedTotal: UNKNOWN_TOTAL }, true, 'bytes */500')).toEqual(
      whole,
    );
  });

  it('refuses when anything we know disagrees, or nothing proves it', () => {
    const accepted = (
      req: { have: number; expectedTotal?: number; knownSize?: number },
      sent: boolean,
      header: string | undefined,
    ) => judgeUnsatisfiable(req, sent, header).whole;
    expect(accepted({ have: 500, expectedTotal: 500 }, true, 'bytes */499')).toBe(false);
    expect(accepted({ have: 500, expectedTotal: 501 }, true, 'bytes */500')).toBe(false);
    // The listed size is a hint (issue 18): the server's length and the sidecar's decide.
    expect(accepted({ have: 500, knownSize: 501 }, true, 'bytes */500')).toBe(true);
    expect(accepted({ have: 500 }, true, undefined)).toBe(false);
    expect(accepted({ have: 500 }, true, 'bytes */*')).toBe(false);
    expect(accepted({ have: 500 }, true, 'bytes 0-499/500')).toBe(false);
    // No Range was sent (a whiteboard, an empty .part): a 416 proves nothing.
    expect(accepted({ have: 500 }, false, 'bytes */500')).toBe(false);
    expect(accepted({ have: 0 }, true, 'bytes */0')).toBe(false);
  });
});

describe('judgePartial (a 206 to Range: bytes=<have>-)', () => {
  it('continues a .part that starts where the answer starts and agrees on the size', () => {
    expect(judgePartial({ have: 100, expectedTotal: 500 }, 'bytes 100-499/500', '400')).toEqual({
      total: 500,
    });
    expect(judgePartial({ have: 100, expectedTotal: 500 }, 'bytes 100-199/500', undefined)).toEqual({
      total: 500,
    });
  });

  it('takes the size from the answer when the .part was started without one, whatever the listing says', () => {
    expect(judgePartial({ have: 100, expectedTotal: UNKNOWN_TOTAL }, 'bytes 100-499/500', '400')).toEqual({
      total: 500,
    });
    expect(judgePartial({ have: 100 }, 'bytes 100-499/500', undefined)).toEqual({ total: 500 });
    // The listed size is a hint (issue 18): a listing of 501 does not refuse a file of 500.
    expect(judgePartial({ have: 100, expectedTotal: UNKNOWN_TOTAL }, 'bytes 100-499/500', '400')).toEqual({
      total: 500,
    });
  });

  it('refuses an answer that does not continue the .part', () => {
    for (const [req, range, length] of [
      [{ have: 100, expectedTotal: 500 }, 'bytes 100-500/501', undefined],
      [{ have: 100, expectedTotal: UNKNOWN_TOTAL }, 'bytes 99-499/500', undefined],
      [{ have: 100, expectedTotal: UNKNOWN_TOTAL }, 'bytes 101-499/500', undefined],
      [{ have: 100, expectedTotal: UNKNOWN_TOTAL }, 'bytes 100-499/*', undefined],
      [{ have: 100, expectedTotal: UNKNOWN_TOTAL }, 'bytes 100-499/500', '399'],
      [{ have: 100, expectedTotal: UNKNOWN_TOTAL }, 'bytes */500', undefined],
      [{ have: 100, expectedTotal: UNKNOWN_TOTAL }, undefined, undefined],
      [{ have: 0, expectedTotal: UNKNOWN_TOTAL }, 'bytes 0-499/500', undefined],
    ] as const) {
      expect(judgePartial(req, range, length), `${JSON.stringify(req)} ${range} ${length}`).toBeUndefined();
    }
  });
});
