import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadLimits } from '../../src/download/types.js';
import { type Env, startEnv } from './env.js';
import { mediaRow, tmpUrlLimits, tokensOf } from './helpers.js';

/**
 * batch_get_tmp_download_url takes up to 5 files a call: a call asks for the URLs of the files next
 * in the queue too, so that temporary URLs cost one Open API call per 5 files (what the free plan's
 * monthly quota counts), not one per file.
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/media/batch_get_tmp_download_url
 */

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const LIMITS = tmpUrlLimits(1);

describe('temporary URLs asked for ahead', () => {
  it('one call for every 5 files, even one file at a time, in the queue order', async () => {
    env = await startEnv();
    // Smallest first is the queue's order: the sizes make it the order the files were added in.
    const media = Array.from({ length: 12 }, (_, i) => env!.media({ size: 1000 + i }));
    const summary = await env.run({ limits: LIMITS });
    expect(summary).toMatchObject({ downloaded: 12 });
    const batches = env.fake.requestsTo('media.tmp_url').map((b) => tokensOf(b.query));
    expect(batches).toEqual([
      media.slice(0, 5).map((m) => m.token),
      media.slice(5, 10).map((m) => m.token),
      media.slice(10).map((m) => m.token),
    ]);
    expect(env.fake.requestsTo('media.tmp_download')).toHaveLength(12);
    expect(summary.requests).toBe(12 + 3);
    for (const m of media) expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
  });

  it('a deleted file among those asked for ahead costs its neighbours nothing but a call', async () => {
    env = await startEnv();
    const media = Array.from({ length: 6 }, (_, i) =>
      env!.media({ size: 1000 + i, ...(i === 3 ? { state: 'deleted' as const } : {}) }),
    );
    const summary = await env.run({ limits: LIMITS });
    expect(summary).toMatchObject({ downloaded: 5 });
    expect(mediaRow(env.db, media[3]!.token)).toMatchObject({ status: 'failed' });
    for (const [i, m] of media.entries()) {
      if (i !== 3) expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
    }
    const batches = env.fake.requestsTo('media.tmp_url');
    // The first call (5 files) is refused for the deleted one; the file waiting is asked for alone.
    expect(batches[0]).toMatchObject({ status: 404 });
    expect(tokensOf(batches[0]!.query)).toHaveLength(5);
    expect(tokensOf(batches[1]!.query)).toEqual([media[0]!.token]);
    expect(batches.length).toBeLessThanOrEqual(6);
  });
});

describe('auto on a day whose direct downloads an earlier run spent', () => {
  it('goes straight to temporary URLs, without a request to the download endpoint', async () => {
    env = await startEnv();
    const first = Array.from({ length: 3 }, () => env!.media({ size: 1000 }));
    const limits: DownloadLimits = { ...LIMITS, perDay: 3, via: 'auto' };
    expect(await env.run({ limits })).toMatchObject({ downloaded: 3, stopReason: 'complete' });
    expect(env.fake.requestsTo('media.download')).toHaveLength(3);
    const later = Array.from({ length: 4 }, () => env!.media({ size: 1000 }));
    const summary = await env.run({ limits });
    expect(summary).toMatchObject({ downloaded: 4, stopReason: 'complete' });
    expect(env.fake.requestsTo('media.download')).toHaveLength(3);
    expect(env.fake.requestsTo('media.tmp_download')).toHaveLength(4);
    expect(summary.paths).toMatchObject([
      { via: 'direct', files: 3, requests: 3, stopped: true, stoppedBy: 'counter' },
      { via: 'tmp-url', files: 4, requests: 4, batchCalls: 1, stopped: false },
    ]);
    for (const m of [...first, ...later]) expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
  });
});
