import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DocumentMeta, LinkResolver, RawBlock } from '../../src/archive/render/index.js';
import { noLinks, renderDocxMarkdown } from '../../src/archive/render/index.js';
import { expectGolden } from './golden.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

interface Sample {
  document: DocumentMeta;
  blocks: RawBlock[];
}

function loadSample(file: string): Sample {
  return JSON.parse(readFileSync(file, 'utf8')) as Sample;
}

const realSample = (n: number): Sample =>
  loadSample(path.join(repoRoot, 'test/fixtures/real-samples', `testdocx.${n}.json`));
const everyBlock = (): Sample => loadSample(path.join(here, 'fixtures/every-block.json'));

/** The archive layout the view would see: media under ../media, exports beside the document. */
const archiveLinks: LinkResolver = {
  media: (token) => (token.includes('Missing') ? undefined : `../media/${token}.bin`),
  document: (type, token) => {
    if (type === 'docx') return undefined;
    return `../exports/${type}/${token}.${type === 'board' ? 'png' : 'csv'}`;
  },
  user: (id) => (id === 'ou_123' ? 'Zhang San' : undefined),
};

/** The longer words of a block's own text runs: each must appear in the rendered view. */
function wordsOf(block: RawBlock): string[] {
  const words: string[] = [];
  for (const value of Object.values(block)) {
    const elements = (value as { elements?: { text_run?: { content?: string } }[] } | null)?.elements;
    for (const element of Array.isArray(elements) ? elements : []) {
      words.push(...(element.text_run?.content?.match(/[A-Za-z]{5,}/g) ?? []));
    }
  }
  return words;
}

function render(sample: Sample, links: LinkResolver = archiveLinks): string {
  return renderDocxMarkdown(sample.document, sample.blocks, links);
}

describe('renderDocxMarkdown', () => {
  it.each([1, 2, 3])('renders real sample testdocx.%i as its reviewed golden Markdown', (n) => {
    expectGolden(`testdocx.${n}.md`, render(realSample(n)));
  });

  it('renders a hand-built document with every supported block type as its reviewed golden Markdown', () => {
    expectGolden('every-block.md', render(everyBlock()));
  });

  it('links every image of a real document to its backed-up file', () => {
    const md = render(realSample(1));
    for (const token of [
      'boxcnbK20aJ9pePyziodIvjXTce',
      'boxcnh7JKLbFaWhHKHveYzGMNZg',
      'boxcnqt9YDTirkKlTATlQI025Ig',
      'boxcnAb2MgMQoUMDLLf3ySogueh',
    ]) {
      expect(md).toContain(`![image](../media/${token}.bin)`);
    }
  });

  it('says which media are not backed up, with their tokens, instead of linking nowhere', () => {
    const md = render(realSample(1), noLinks);
    expect(md).toContain('[image not backed up: `boxcnbK20aJ9pePyziodIvjXTce`]');
    expect(md).not.toContain('![image]');
    const fixture = render(everyBlock(), noLinks);
    expect(fixture).toContain('[embedded sheet not exported: `shtcnEmbedded_s1`]');
    expect(fixture).toContain('Attachment: Q3 report (final).pdf [not backed up: `boxFileReport`]');
    // A mentioned sheet with no local export still links to Feishu.
    expect(fixture).toContain('[Budget sheet](https://example.feishu.cn/sheets/shtcnLinked)');
  });

  it('decodes percent-encoded link URLs so the links open', () => {
    expect(render(realSample(1))).toContain(
      '[《内容团队协作的最佳形式：少数派编辑部如何用飞书》](https://sspai.com/post/58509)',
    );
  });

  it('never emits raw HTML or a clickable script link from document text', () => {
    const md = render(everyBlock());
    expect(md).toContain('\\<b>tags\\</b>');
    expect(md).not.toMatch(/\]\(javascript:/i);
    expect(md).toContain('Unsafe link (link removed: `javascript%3Aalert(1)`)');
  });

  it('shows every block of the fixture: nothing is dropped silently', () => {
    const md = render(everyBlock());
    for (const block of everyBlock().blocks) {
      for (const word of wordsOf(block)) expect(md, `block ${block.block_id}`).toContain(word);
    }
    expect(md).toContain('> [unsupported block type 35: task]');
    expect(md).toContain('> [unsupported block type 77: unknown]');
    expect(md).toContain('Child of an unknown block is kept.');
  });

  it('numbers ordered lists per run of items and honours an explicit start', () => {
    const md = render(everyBlock());
    expect(md).toMatch(
      /^1\. First\n {3}1\. First A\n {3}2\. First B\n2\. Second\n\n {3}A paragraph inside the second item\.\n3\. Third$/m,
    );
    expect(md).toContain('10. Starts at ten\n11. Then eleven');
  });

  it('keeps a block that no page lists, under a visible heading', () => {
    const sample = realSample(3);
    const orphan: RawBlock = {
      block_id: 'orphan1',
      block_type: 2,
      parent_id: 'gone',
      text: { elements: [{ text_run: { content: 'Lost paragraph' } }] },
    };
    const md = renderDocxMarkdown(sample.document, [...sample.blocks, orphan], noLinks);
    expect(md).toContain('[blocks not reachable from the page]\n\nLost paragraph');
  });

  it('survives a child list that points back at its parent', () => {
    const blocks: RawBlock[] = [
      { block_id: 'd', block_type: 1, children: ['a'], page: { elements: [{ text_run: { content: 'T' } }] } },
      {
        block_id: 'a',
        block_type: 12,
        parent_id: 'd',
        children: ['d', 'a'],
        bullet: { elements: [{ text_run: { content: 'loop' } }] },
      },
    ];
    expect(renderDocxMarkdown({ document_id: 'd' }, blocks, noLinks)).toBe(
      '---\ndocument_id: "d"\n---\n\n# T\n\n- loop\n',
    );
  });

  it('shows an inline attachment as a link named by its file name, set apart from the text', () => {
    const blocks: RawBlock[] = [
      { block_id: 'd', block_type: 1, children: ['p'], page: { elements: [{ text_run: { content: 'T' } }] } },
      {
        block_id: 'p',
        block_type: 2,
        parent_id: 'd',
        text: {
          elements: [
            { text_run: { content: 'see attached' } },
            { file: { file_token: 'boxPhoto' } },
            { text_run: { content: 'and' } },
            { file: { file_token: 'boxMissing' } },
          ],
        },
      },
    ];
    const links: LinkResolver = {
      ...noLinks,
      media: (t) => (t === 'boxPhoto' ? '../media/ph/boxPhoto/photo.JPG' : undefined),
    };
    const md = renderDocxMarkdown({ document_id: 'd' }, blocks, links);
    expect(md).toContain(
      'see attached [📎 photo.JPG](../media/ph/boxPhoto/photo.JPG) and [attachment not backed up: `boxMissing`]',
    );
  });

  it('starts with front matter holding the Feishu URL, the revision and when it was backed up', () => {
    const md = renderDocxMarkdown(
      {
        document_id: 'd',
        title: 'Plan "A"',
        url: 'https://acme.feishu.cn/docx/d',
        revision: 'rev:12',
        backed_up_at: '2026-12-01T08:00:00.000Z',
      },
      [],
      noLinks,
    );
    expect(md.split('\n---\n')[0]).toBe(
      [
        '---',
        'document_id: "d"',
        'title: "Plan \\"A\\""',
        'url: "https://acme.feishu.cn/docx/d"',
        'revision: "rev:12"',
        'backed_up: "2026-12-01T08:00:00.000Z"',
      ].join('\n'),
    );
  });
});
