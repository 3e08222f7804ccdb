import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

function configFile(body: Record<string, unknown>): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'fb-archive-config-')), 'config.json');
  writeFileSync(file, JSON.stringify(body));
  return file;
}

const BASE = {
  appId: 'cli_x',
  appSecret: 's',
  roots: [{ type: 'docx', token: 'doxcnA' }],
  outputDir: './out',
};

describe('archive options', () => {
  it('default to the complete archive, and each part can be turned off', () => {
    expect(loadConfig({ file: configFile(BASE), env: {} }).archive).toEqual({
      snapshots: true,
      view: true,
      whiteboards: true,
      driveFiles: true,
    });
    const off = loadConfig({
      file: configFile({ ...BASE, archive: { snapshots: false, view: false } }),
      env: {},
    });
    expect(off.archive).toMatchObject({ snapshots: false, view: false, whiteboards: true });
  });

  it('name a misspelt key with the key it probably meant', () => {
    const file = configFile({ ...BASE, archive: { snapshot: false } });
    expect(() => loadConfig({ file, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ file, env: {} })).toThrow(
      /archive\.snapshot: unknown key \(did you mean "snapshots"\?\)/,
    );
  });

  it('need no credentials or roots for offline commands', () => {
    const file = configFile({ outputDir: './out' });
    expect(() => loadConfig({ file, env: {} })).toThrow(ConfigError);
    const config = loadConfig({ file, env: {}, offline: true });
    expect(config.outputDir).toBe(path.join(path.dirname(file), 'out'));
    expect(config.roots).toEqual([]);
  });
});
