import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ShapeFile, ShapeRecorder } from '../../src/feishu/shapes/recorder.js';
import { realSamplesDir } from './real-samples.js';

/**
 * The shape file `test/fixtures/shapes/real-samples.json` is made of: the real block lists and
 * document records of real-samples/ as the `data` of `docx.blocks` and `docx.document` answers. The
 * samples kept only `items` (all pages joined) and `document`, not the envelope, the headers or the
 * page sizes, so the file is `partial` and says nothing of those.
 */
export function shapeFileFromRealSamples(): ShapeFile {
  const recorder = new ShapeRecorder();
  for (const file of ['testdocx.1.json', 'testdocx.2.json', 'testdocx.3.json']) {
    const sample = JSON.parse(readFileSync(join(realSamplesDir(), file), 'utf8')) as {
      document: unknown;
      blocks: unknown[];
    };
    recorder.record('docx.blocks', { status: 200, headers: {}, json: { data: { items: sample.blocks } } });
    recorder.record('docx.document', {
      status: 200,
      headers: {},
      json: { data: { document: sample.document } },
    });
  }
  const out = recorder.toFile({
    format: 1,
    source:
      'test/fixtures/real-samples (real docx answers: block items and document records only; no envelope, headers or page sizes)',
    partial: true,
    endpoints: {},
  });
  for (const shapes of Object.values(out.endpoints)) for (const s of shapes) delete s.pageSizes;
  return out;
}
