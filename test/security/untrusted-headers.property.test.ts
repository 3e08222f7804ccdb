import { isAbsolute, normalize, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filenameFromContentDisposition } from '../../src/download/content-disposition.js';
import { parseContentLength, parseContentRange } from '../../src/download/content-range.js';
import { mediaFileName, mediaRelativePath, mediaShard } from '../../src/naming/media-path.js';
import { PageGuard } from '../../src/sources/paging.js';

/**
 * Properties over untrusted server input, beyond the example tests in test/download/headers.test.ts,
 * test/download/sanitize-filename.test.ts and test/crawl (PageGuard). fast-check prints the seed of a
 * failing run; FC_SEED replays one.
 */
const params = {
  numRuns: 500,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
};

describe('Content-Range and Content-Length from the server', () => {
  it('parse any string without throwing, and only into a consistent range', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), rangeLike()), (header) => {
        const r = parseContentRange(header);
        if (!r) return;
        for (const n of [r.start, r.end, r.total])
          if (n !== undefined) expect(Number.isSafeInteger(n)).toBe(true);
        expect(r.start === undefined).toBe(r.end === undefined);
        if (r.start !== undefined) expect(r.start).toBeLessThanOrEqual(r.end!);
        if (r.end !== undefined && r.total !== undefined) expect(r.end).toBeLessThan(r.total);
      }),
      params,
    );
  });

  it('read back exactly every valid range, and refuse it with trailing garbage', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 40 }),
        fc.nat({ max: 2 ** 40 }),
        fc.nat({ max: 2 ** 20 }),
        fc.string({ minLength: 1, maxLength: 4 }).filter((g) => /^[^\d\s]/.test(g)),
        (a, len, extra, garbage) => {
          const start = a;
          const end = a + len;
          const total = end + 1 + extra;
          expect(parseContentRange(`bytes ${start}-${end}/${total}`)).toEqual({ start, end, total });
          expect(parseContentRange(`bytes ${start}-${end}/${total}${garbage}`)).toBeUndefined();
        },
      ),
      params,
    );
  });

  it('take a Content-Length only as a non-negative safe integer', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.nat().map(String), fc.bigInt().map(String)), (v) => {
        const n = parseContentLength(v);
        if (n !== undefined) {
          expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
          expect(String(n)).toBe(v.trim().replace(/^0+(?=\d)/, ''));
        }
      }),
      params,
    );
  });
});

describe('content-disposition from the server', () => {
  it('never throws, and whatever name it yields is stored inside media/<fan>/<token>/', () => {
    fc.assert(
      fc.property(dispositionLike(), fc.stringMatching(/^[A-Za-z0-9]{4,30}$/), (header, token) => {
        const name = mediaFileName({
          serverName: filenameFromContentDisposition(header),
          fileToken: token,
          mimeType: 'image/png',
        });
        const rel = mediaRelativePath(token, name);
        expect(isAbsolute(rel)).toBe(false);
        expect(normalize(rel)).toBe(rel);
        const parts = rel.split(sep);
        expect(parts).toHaveLength(4);
        expect(parts.slice(0, 3)).toEqual(['media', mediaShard(token), token]);
        expect(name).not.toMatch(/[\\/\0]/);
        expect(['.', '..', '']).not.toContain(name);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      }),
      params,
    );
  });
});

describe('paging a server that lies', () => {
  it('ends any token sequence: a repeated token or has_more without one is an error, never a loop', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            hasMore: fc.boolean(),
            token: fc.option(fc.constantFrom('a', 'b', 'c', 'd', ''), { nil: undefined }),
          }),
          {
            maxLength: 50,
          },
        ),
        (pages) => {
          const guard = new PageGuard('list');
          const seen = new Set<string>();
          for (const p of pages) {
            let next: string | undefined;
            try {
              next = guard.next(p.hasMore, p.token);
            } catch (e) {
              // Only for has_more without a token, or a token seen before.
              expect(p.hasMore).toBe(true);
              expect(!p.token || seen.has(p.token)).toBe(true);
              expect((e as { kind?: string }).kind).toBe('protocol');
              return;
            }
            if (next === undefined) {
              expect(p.hasMore).toBe(false);
              return;
            }
            seen.add(next);
          }
          // Five distinct tokens at most: a listing that never ends cannot get past the sixth page.
          expect(seen.size).toBeLessThanOrEqual(5);
        },
      ),
      params,
    );
  });
});

function rangeLike(): fc.Arbitrary<string> {
  const num = fc.oneof(
    fc.nat().map(String),
    fc.constant('*'),
    fc.constant('-1'),
    fc.constant('99999999999999999999'),
  );
  return fc
    .tuple(fc.constantFrom('bytes ', 'bytes  ', 'BYTES ', 'items ', ''), num, num, num)
    .map(([unit, a, b, t]) => `${unit}${a}-${b}/${t}`);
}

function dispositionLike(): fc.Arbitrary<string> {
  const name = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('..', '../../etc/passwd', 'a\\..\\b', 'CON', 'nul.txt', 'x\0y', '%2e%2e%2f', '%00', '.'),
    fc.string({ minLength: 300, maxLength: 1200 }),
  );
  return fc.oneof(
    fc.string(),
    name.map((n) => `attachment; filename="${n}"`),
    name.map((n) => `attachment; filename=${n}`),
    name.map((n) => `attachment; filename*=UTF-8''${encodeURIComponent(n)}`),
    name.map((n) => `attachment; filename*=UTF-8''${n}`),
    fc
      .tuple(name, name)
      .map(([a, b]) => `attachment; filename="${a}"; filename*=utf-8''${encodeURIComponent(b)}`),
  );
}
