import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeFilename } from '../../src/naming/sanitize-filename.js';

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

describe('sanitizeFilename', () => {
  it('keeps a path-traversal name inside the directory', () => {
    expect(sanitizeFilename('../../x')).toBe('_.._x');
    expect(sanitizeFilename('..')).toBe('file');
    expect(sanitizeFilename('/etc/passwd')).toBe('_etc_passwd');
    expect(sanitizeFilename('a\\..\\..\\b.png')).toBe('a_.._.._b.png');
  });

  it('never produces a Windows device name', () => {
    expect(sanitizeFilename('CON')).toBe('_CON');
    expect(sanitizeFilename('nul.txt')).toBe('_nul.txt');
    expect(sanitizeFilename('com1.png')).toBe('_com1.png');
    expect(sanitizeFilename('CONSOLE.png')).toBe('CONSOLE.png');
  });

  it('replaces reserved and control characters', () => {
    expect(sanitizeFilename('a:b*c?"d<e>f|g\u0000h\u001fi.png')).toBe('a_b_c__d_e_f_g_h_i.png');
    expect(sanitizeFilename('name. . ')).toBe('name');
  });

  it('cuts a 300-character name to the byte limit and keeps its extension', () => {
    const out = sanitizeFilename(`${'a'.repeat(300)}.jpeg`);
    expect(Buffer.byteLength(out)).toBe(200);
    expect(out.endsWith('.jpeg')).toBe(true);
  });

  it('keeps Chinese names and cuts long ones on a character boundary', () => {
    expect(sanitizeFilename('产品设计图 v2.png')).toBe('产品设计图 v2.png');
    const out = sanitizeFilename(`${'图'.repeat(100)}.png`);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(200);
    expect(out).toMatch(/^图+\.png$/);
    expect(out).not.toContain('\uFFFD');
  });

  it('adds the extension of the MIME type when the name has none', () => {
    expect(sanitizeFilename('screenshot', { mimeType: 'image/png' })).toBe('screenshot.png');
    expect(sanitizeFilename('report.pdf', { mimeType: 'image/png' })).toBe('report.pdf');
    expect(sanitizeFilename('', { mimeType: 'image/jpeg', fallback: 'boxcnAbc' })).toBe('boxcnAbc.jpg');
    expect(sanitizeFilename('data', { mimeType: 'application/octet-stream' })).toBe('data');
  });

  it('holds its guarantees for any input (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.constantFrom(undefined, 'image/png', 'application/pdf', 'text/plain; charset=utf-8'),
        (input, mimeType) => {
          const out = sanitizeFilename(input, { mimeType });
          expect(out.length).toBeGreaterThan(0);
          expect(out).not.toMatch(/[/\\\x00-\x1f<>:"|?*]/);
          expect(out === '.' || out === '..').toBe(false);
          expect(out.startsWith('.')).toBe(false);
          expect(out).not.toMatch(/[. ]$/);
          expect(RESERVED.test(out)).toBe(false);
          expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(200);
          // Stable: a stored name stays the same name when sanitised again.
          expect(sanitizeFilename(out, { mimeType })).toBe(out);
        },
      ),
      { numRuns: 500 },
    );
  });
});
