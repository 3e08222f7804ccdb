import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { describe, expect, it } from 'vitest';
import type { RawBlock, TextElement } from '../../src/archive/render/index.js';
import { noLinks, renderDocxMarkdown } from '../../src/archive/render/index.js';

// A CommonMark parser with GFM tables and strikethrough, raw HTML switched on so that any HTML that
// slipped through would show up as an html token.
const md = new MarkdownIt('default', { html: true });

function renderParagraph(elements: TextElement[]): string {
  const blocks: RawBlock[] = [
    { block_id: 'd', block_type: 1, children: ['p'], page: { elements: [{ text_run: { content: 'T' } }] } },
    { block_id: 'p', block_type: 2, parent_id: 'd', text: { elements } },
  ];
  const out = renderDocxMarkdown({ document_id: 'd' }, blocks, noLinks);
  return out.slice(out.indexOf('# T\n\n') + 5);
}

/** The inline tokens of a Markdown snippet that must be exactly one paragraph. */
function paragraphInline(markdown: string): Token[] {
  const tokens = md.parse(markdown, {});
  expect(tokens.map((t) => t.type)).toEqual(['paragraph_open', 'inline', 'paragraph_close']);
  // markdown-it leaves empty text tokens around emphasis delimiters; they carry nothing.
  return (tokens[1]!.children ?? []).filter((t) => !(t.type === 'text' && t.content === ''));
}

function textOf(tokens: Token[]): string {
  return tokens.map((t) => (t.type === 'hardbreak' || t.type === 'softbreak' ? '\n' : t.content)).join('');
}

// Text built from the characters that mean something to Markdown, plus ordinary letters. Lines are
// trimmed and non-empty: Markdown itself drops edge whitespace, which is not an escaping concern.
const hazard = fc.constantFrom(
  ...'\\`*_[]()<>|~$#+-=!&;:.1a中 '.split(''),
  '&amp;',
  '&#35;',
  '1.',
  '- ',
  '> ',
  '```',
  '---',
  '<b>',
  '***',
);
const line = fc.array(hazard, { minLength: 1, maxLength: 12 }).map((parts) => parts.join('').trim());
const text = fc
  .array(line, { minLength: 1, maxLength: 3 })
  .map((lines) => lines.filter(Boolean).join('\n'))
  .filter((s) => s !== '');

describe('Markdown escaping of document text', () => {
  it('reads any plain text back exactly, with no markup and no HTML', () => {
    fc.assert(
      fc.property(text, (s) => {
        const inline = paragraphInline(
          renderParagraph([{ text_run: { content: s, text_element_style: {} } }]),
        );
        expect(inline.filter((t) => !['text', 'hardbreak'].includes(t.type))).toEqual([]);
        expect(textOf(inline)).toBe(s);
      }),
      // A line holding a `|` over a line `:---` once read as a one-column table.
      { numRuns: 300, examples: [['|\\\n:---']] },
    );
  });

  it('reads any styled text back as exactly that text inside exactly that style', () => {
    const styles = [
      { style: { bold: true }, open: 'strong_open' },
      { style: { italic: true }, open: 'em_open' },
      { style: { strikethrough: true }, open: 's_open' },
    ];
    const oneLine = line.filter((s) => s !== '');
    fc.assert(
      fc.property(oneLine, fc.constantFrom(...styles), (s, { style, open }) => {
        const inline = paragraphInline(
          renderParagraph([{ text_run: { content: s, text_element_style: style } }]),
        );
        expect(inline[0]?.type).toBe(open);
        expect(inline.at(-1)?.type).toBe(open.replace('_open', '_close'));
        const inner = inline.slice(1, -1);
        expect(inner.filter((t) => t.type !== 'text')).toEqual([]);
        expect(textOf(inner)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps any inline code verbatim in one code span', () => {
    fc.assert(
      fc.property(
        line.filter((s) => s !== ''),
        (s) => {
          const inline = paragraphInline(
            renderParagraph([{ text_run: { content: s, text_element_style: { inline_code: true } } }]),
          );
          expect(inline.map((t) => t.type)).toEqual(['code_inline']);
          expect(inline[0]?.content).toBe(s);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a styled run styled between any neighbouring text, Chinese punctuation included', () => {
    const word = fc
      .array(fc.constantFrom(...'a中，。「」《》()!?.:*_~`1 '.split('')), { minLength: 1, maxLength: 6 })
      .map((chars) => chars.join('').trim())
      .filter((w) => w !== '');
    fc.assert(
      fc.property(word, word, word, (before, styledText, after) => {
        const inline = paragraphInline(
          renderParagraph([
            { text_run: { content: before, text_element_style: {} } },
            { text_run: { content: styledText, text_element_style: { bold: true } } },
            { text_run: { content: after, text_element_style: {} } },
          ]),
        );
        // Where CommonMark's flanking rules leave `**` literal, the renderer uses <strong> instead.
        const open = inline.findIndex((t) => t.type === 'strong_open' || t.content === '<strong>');
        const close = inline.findIndex((t) => t.type === 'strong_close' || t.content === '</strong>');
        expect(open).toBeGreaterThanOrEqual(0);
        expect(textOf(inline.slice(open + 1, close))).toBe(styledText);
        expect(textOf(inline.filter((t) => t.type === 'text' || t.type === 'code_inline'))).toBe(
          before + styledText + after,
        );
        expect(inline.filter((t) => t.type === 'html_inline' && !/^<\/?strong>$/.test(t.content))).toEqual(
          [],
        );
      }),
      { numRuns: 300 },
    );
  });
});
