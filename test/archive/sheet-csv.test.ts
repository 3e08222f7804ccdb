import { describe, expect, it } from 'vitest';
import type { LinkResolver } from '../../src/archive/render/index.js';
import { renderSheetCsv } from '../../src/archive/render/index.js';
import { parseCsv } from './rfc4180.js';

const links: LinkResolver = {
  media: (token) => (token === 'boxMissing' ? undefined : `media/${token}.bin`),
  document: () => undefined,
};

const cells = (values: unknown[][]): string[][] => parseCsv(renderSheetCsv(values, { links }));

describe('renderSheetCsv', () => {
  it('writes numbers as numbers and booleans as TRUE/FALSE', () => {
    expect(renderSheetCsv([[1, 2.5, -3, 1e21, true, false, null]])).toBe('1,2.5,-3,1e+21,TRUE,FALSE,\r\n');
  });

  it('flattens a rich text cell of text, link and mention segments into what the editor shows', () => {
    const cell = [
      { type: 'text', text: 'See ' },
      { type: 'url', text: 'the spec', link: 'https://example.com/spec' },
      { type: 'text', text: ', ask ' },
      { type: 'mention', text: '@Li Lei', textType: 'user', token: 'ou_1', link: 'https://x' },
    ];
    expect(cells([[cell]])).toEqual([['See the spec (https://example.com/spec), ask @Li Lei']]);
  });

  it('shows a bare URL segment once, not twice', () => {
    expect(cells([[[{ type: 'url', text: 'https://a.b', link: 'https://a.b' }]]])).toEqual([['https://a.b']]);
  });

  it('links attachment and image cells to their local files, relative to the CSV', () => {
    const attachment = [
      { type: 'attachment', fileToken: 'boxVideo', text: 'demo.mp4', size: 10, mimeType: 'video/mp4' },
    ];
    const image = { type: 'embed-image', fileToken: 'boxPic', width: 10, height: 10 };
    expect(cells([[attachment, image]])).toEqual([['media/boxVideo.bin', 'media/boxPic.bin']]);
  });

  it('separates several attachments in one cell with "; "', () => {
    const cell = [
      { type: 'attachment', fileToken: 'boxA', text: 'a.pdf' },
      { type: 'attachment', fileToken: 'boxB', text: 'b.pdf' },
    ];
    expect(cells([[cell]])).toEqual([['media/boxA.bin; media/boxB.bin']]);
  });

  it('marks media that were not backed up with their name and token', () => {
    const attachment = [{ type: 'attachment', fileToken: 'boxMissing', text: 'lost.docx' }];
    expect(cells([[attachment]])).toEqual([['[attachment not backed up: lost.docx (boxMissing)]']]);
  });

  it('marks an image placeholder that came without a token instead of leaving the cell empty', () => {
    expect(cells([[[{ id: 207, type: 'embed-image' }]]])).toEqual([['[image without a token]']]);
  });

  it('keeps unknown cell shapes as JSON rather than dropping them', () => {
    expect(cells([[{ type: 'sparkline', points: [1, 2] }]])).toEqual([
      ['{"type":"sparkline","points":[1,2]}'],
    ]);
  });
});
