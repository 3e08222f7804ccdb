import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ResponseShape, type ShapeFile, ShapeRecorder } from '../../src/feishu/shapes/recorder.js';
import { harness, rootFolder } from '../crawl/harness.js';
import { addRealSampleDocs, generateTenant, startFakeFeishu } from './index.js';
import { shapeFileFromRealSamples } from './real-sample-shapes.js';
import { realSamplesDir } from './real-samples.js';

const SHAPES_DIR = path.join(realSamplesDir(), '..', 'shapes');

/** Every shape file in test/fixtures/shapes/: ours from the real samples, and any a user sent us. */
function shapeFiles(): [string, ShapeFile][] {
  return readdirSync(SHAPES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(path.join(SHAPES_DIR, f), 'utf8')) as ShapeFile]);
}

/** The fake's own shapes: a crawl and a download of a generated tenant plus the real sample documents. */
async function fakeShapes(): Promise<ShapeFile> {
  const tenant = generateTenant({
    seed: 5,
    folders: 2,
    docxPerFolder: 3,
    sheets: 1,
    bitables: 1,
    wikiSpaces: 1,
  });
  const samples = addRealSampleDocs(tenant, { folder: null });
  const fake = await startFakeFeishu({ tenant });
  const shapes = new ShapeRecorder();
  const h = harness(
    fake,
    [
      rootFolder(fake),
      ...tenant.wikiSpaces.map((s) => ({ type: 'wiki' as const, spaceId: s.spaceId })),
      ...samples.map((d) => ({ type: 'docx' as const, token: d.documentId })),
    ],
    { shapes },
  );
  await h.run();
  await h.download();
  return shapes.toFile();
}

/** `path: type` lines a real shape has that no fake answer of the same endpoint and status has. */
function missingFromFake(real: ResponseShape, fake: ResponseShape[]): string[] {
  const same = fake.filter(
    (f) => f.status === real.status && (real.code === undefined || f.code === real.code),
  );
  if (same.length === 0) return [`no ${real.status}${real.code === undefined ? '' : `/${real.code}`} answer`];
  const keys = new Set(same.flatMap((f) => f.keys ?? []));
  const headers = new Set(same.flatMap((f) => f.headers));
  return [
    ...(real.keys ?? []).filter((k) => !keys.has(k)),
    ...real.headers.filter((h) => !headers.has(h)).map((h) => `header ${h}`),
  ];
}

describe('the fake answers in the shapes real Feishu answered', () => {
  it('names what a real answer has and the fake lacks', () => {
    const fake: ResponseShape[] = [
      {
        status: 200,
        code: 0,
        headers: ['content-type'],
        body: 'json',
        seen: 1,
        keys: ['data.items[].a: string'],
      },
    ];
    const real: ResponseShape = {
      status: 200,
      headers: ['content-type', 'x-tt-logid'],
      body: 'json',
      seen: 1,
      keys: ['data.items[].a: string', 'data.items[].b: number'],
    };
    expect(missingFromFake(real, fake)).toEqual(['data.items[].b: number', 'header x-tt-logid']);
    expect(missingFromFake({ ...real, status: 403 }, fake)).toEqual(['no 403 answer']);
  });

  it('ships a shape file made from the real samples, exactly as they make it', () => {
    const shipped = JSON.parse(readFileSync(path.join(SHAPES_DIR, 'real-samples.json'), 'utf8'));
    expect(shipped).toEqual(shapeFileFromRealSamples());
  });

  it('answers every endpoint of every shape file with at least the keys, types and headers it lists', async () => {
    const ours = await fakeShapes();
    expect(Object.keys(ours.endpoints)).toEqual(
      expect.arrayContaining([
        'drive.list',
        'docx.document',
        'docx.blocks',
        'bitable.records',
        'media.download',
      ]),
    );
    const problems: string[] = [];
    for (const [file, real] of shapeFiles()) {
      for (const [endpoint, shapes] of Object.entries(real.endpoints)) {
        const fake = ours.endpoints[endpoint];
        if (!fake) {
          problems.push(`${file}: the fake never answered ${endpoint}`);
          continue;
        }
        for (const shape of shapes) {
          for (const miss of missingFromFake(shape, fake)) problems.push(`${file}: ${endpoint}: ${miss}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
