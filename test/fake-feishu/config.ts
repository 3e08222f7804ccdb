import path from 'node:path';
import type { Archive, Config, Limits, Root } from '../../src/config/types.js';
import type { FakeFeishu } from './server.js';

/**
 * A backup config pointed at a fake Feishu, as tests and benchmarks build one by hand (no file, no
 * environment): Feishu's documented limits unless `limits` says otherwise, the inventory in `outputDir`.
 */
export function fakeConfig(
  fake: FakeFeishu,
  options: { roots: Root[]; outputDir: string; limits?: Partial<Limits>; archive?: Archive },
): Config {
  return {
    appId: fake.appId,
    appSecret: fake.appSecret,
    baseUrl: fake.url,
    roots: options.roots,
    outputDir: options.outputDir,
    database: path.join(options.outputDir, 'inventory.sqlite'),
    limits: {
      downloadQps: 5,
      downloadsPerDay: 10_000,
      concurrency: 4,
      crawlConcurrency: 4,
      dayBoundaryTimeZone: 'Asia/Shanghai',
      rates: {},
      ...options.limits,
    },
    ...(options.archive ? { archive: options.archive } : {}),
  };
}
