import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type PartMeta, partPaths } from '../../src/download/part-file.js';
import { type Env, startEnv } from './env.js';
import { mediaRow } from './helpers.js';

let env: Env;
afterEach(async () => {
  await env?.close();
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const SIZE = 300_000;

/**
 * Reset points around the 64 KiB the socket reads at a time and the first chunk (which the envelope
 * check looks at before the `.part` is opened), and well past it.
 */
const WITH_LENGTH = [1_000, 65_000, 65_536, 70_001, 120_000, 200_000, 299_999];
/** The same through a proxy that removes Content-Length (chunked body, size unknown). */
const WITHOUT_LENGTH = [65_536, 120_000, 250_001];

describe('a download reset mid-body', () => {
  for (const [noContentLength, points] of [
    [false, WITH_LENGTH],
    [true, WITHOUT_LENGTH],
  ] as const) {
    for (const n of points) {
      it(`keeps every byte that arrived before a reset at ${n} (${noContentLength ? 'no Content-Length' : 'Content-Length'}) and then fetches exactly the rest`, async () => {
        env = await startEnv({ noContentLength });
        const m = env.media({ size: SIZE, sizeKnown: !noContentLength });
        env.fake.faults.inject({ route: 'media.download', fault: { kind: 'reset', afterBytes: n } });
        const paths = partPaths(env.outputDir, m.token);

        // One try only, so the .part is left as the reset left it.
        const first = await env.run({ maxRetries: 0 });
        expect(first).toMatchObject({ downloaded: 0, requests: 1 });
        const [cut] = env.fake.requestsTo('media.download');
        expect(cut).toMatchObject({ status: 200, bytesSent: n });
        expect(readFileSync(paths.part)).toEqual(env.bytesOf(m).subarray(0, n));
        expect(first.bytesReceived).toBe(n);
        expect(JSON.parse(readFileSync(paths.meta, 'utf8')) as PartMeta).toMatchObject({ synced: n });
        expect(mediaRow(env.db, m.token)).toMatchObject({ bytes_on_disk: n });

        const second = await env.run();
        expect(second).toMatchObject({ downloaded: 1, requests: 1, bytesReceived: SIZE - n });
        expect(env.fake.requestsTo('media.download')[1]).toMatchObject({
          status: 206,
          headers: { range: `bytes=${n}-` },
          bytesSent: SIZE - n,
        });
        expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
        expect(mediaRow(env.db, m.token)).toMatchObject({ status: 'done', sha256: sha(env.bytesOf(m)) });
      });
    }
  }
});
