import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const minimal = {
  appId: 'cli_test',
  appSecret: 'super-secret-value',
  roots: [{ type: 'folder', token: 'fldcnAAAA' }],
  outputDir: 'out',
};

function load(crawl?: unknown) {
  const dir = mkdtempSync(path.join(tmpdir(), 'fb-config-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(crawl === undefined ? minimal : { ...minimal, crawl }));
  return loadConfig({ file, env: {} });
}

describe('crawl.fullEvery', () => {
  it('defaults to seven days and reads durations and "off"', () => {
    expect(load().crawl).toEqual({ fullEveryMs: 7 * 86_400_000 });
    expect(load({ fullEvery: '36h' }).crawl).toEqual({ fullEveryMs: 36 * 3_600_000 });
    expect(load({ fullEvery: '1d12h' }).crawl).toEqual({ fullEveryMs: 36 * 3_600_000 });
    expect(load({ fullEvery: 'off' }).crawl).toEqual({ fullEveryMs: null });
  });

  it('names the key and the fix for a value it cannot read', () => {
    try {
      load({ fullEvery: 'weekly' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.join('\n')).toMatch(/crawl\.fullEvery.*"weekly".*"7d"/);
    }
  });
});
