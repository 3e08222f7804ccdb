import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeFilename } from '../../src/naming/sanitize-filename.js';
import { FolderNames } from '../../src/naming/unique-names.js';

/** Titles people and servers give: anything, including look-alikes that differ only by case or form. */
const title = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    'Plan',
    'plan',
    'PLAN',
    'Plan.md',
    'Plan.csv',
    'index',
    'CON',
    '..',
    '',
    ' ',
    'Café',
    'Cafe\u0301',
  ),
  fc.string({ unit: 'grapheme', minLength: 100, maxLength: 300 }),
);
const token = fc.stringMatching(/^[A-Za-z0-9]{1,40}$/);

describe('view names (FolderNames)', () => {
  it('are sanitised like every stored name and unique in their folder, ignoring case, with every extension', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(title, fc.option(token, { nil: undefined })), { maxLength: 30 }),
        (entries) => {
          const names = new FolderNames();
          names.reserve('index.md');
          const seen = new Set<string>(['index.md']);
          entries.forEach(([t, id], i) => {
            const stem = names.claim(t, id ?? `doc${i}`);
            for (const ext of ['', '.md', '.csv']) {
              const name = stem + ext;
              // Stable under the file-name rules: what the view writes is what sanitising would give.
              expect(sanitizeFilename(name, { maxBytes: 255 })).toBe(name);
              expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
              const key = name.normalize('NFC').toLowerCase();
              expect(seen.has(key), `${name} handed out twice`).toBe(false);
              seen.add(key);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keep a title as it is when it is free, and add the id when it is not', () => {
    const names = new FolderNames();
    expect(names.claim('Plan', 'doxA')).toBe('Plan');
    expect(names.claim('plan', 'doxB')).toBe('plan (doxB)');
    expect(names.claim('Plan', 'doxB')).toBe('Plan (doxB-3)');
    expect(names.claim('a/b: c?', 'doxC')).toBe('a_b_ c_');
    expect(names.claim('', 'doxD')).toBe('doxD');
  });
});
