import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, LARK_BASE_URL, loadConfig } from '../../src/config/index.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function writeConfig(value: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fb-config-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('CONFIG_INVALID');
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const minimal = {
  appId: 'cli_test',
  appSecret: 'super-secret-value',
  roots: [{ type: 'folder', token: 'fldcnAAAA' }],
  outputDir: 'out',
};

describe('loadConfig', () => {
  it('accepts config.example.json as shipped, once its example App ID and roots are replaced', () => {
    const file = path.join(repoRoot, 'config.example.json');
    const config = loadConfig({ file, env: {}, offline: true });
    expect(config.roots.map((r) => r.type)).toEqual(['folder', 'wiki', 'docx', 'bitable']);
    expect(config.limits.rates['docx.blocks']).toBe(5);
    expect(config.database).toBe(path.join(repoRoot, 'backup', 'inventory.sqlite'));
    const problems = problemsOf(() => loadConfig({ file, env: {} }));
    expect(problems).toEqual([
      expect.stringMatching(/^appId: "cli_a1b2c3d4e5f6" is the example written by init; replace the example/),
      expect.stringMatching(/^appSecret: still the example value; replace the example/),
      ...[0, 1, 2, 3].map((i) => expect.stringMatching(new RegExp(`^roots\\[${i}\\]: an example root`))),
    ]);
    const real = loadConfig({
      file,
      env: { FEISHU_APP_ID: 'cli_real', FEISHU_APP_SECRET: 'a-real-secret' },
      overrides: { roots: [{ type: 'docx', token: 'doxcnReal' }] },
    });
    expect(real.appId).toBe('cli_real');
  });

  it('fills defaults and resolves relative paths against the config file folder', () => {
    const file = writeConfig(minimal);
    const config = loadConfig({ file, env: {}, cwd: '/' });
    expect(config.baseUrl).toBe('https://open.feishu.cn');
    expect(config.outputDir).toBe(path.join(path.dirname(file), 'out'));
    expect(config.database).toBe(path.join(path.dirname(file), 'out', 'inventory.sqlite'));
    expect(config.limits).toMatchObject({
      downloadQps: 5,
      downloadsPerDay: 10000,
      dayBoundaryTimeZone: 'Asia/Shanghai',
    });
  });

  it('waits 10 minutes of 1061045 by default before a download day is spent, and checks the value', () => {
    expect(loadConfig({ file: writeConfig(minimal), env: {} }).limits.dailyCapBackoffMinutes).toBe(10);
    const file = writeConfig({ ...minimal, limits: { dailyCapBackoffMinutes: -1 } });
    expect(problemsOf(() => loadConfig({ file, env: {} })).join('\n')).toMatch(/dailyCapBackoffMinutes/);
  });

  it('lets the environment fill and override credentials and the base URL', () => {
    const file = writeConfig({ ...minimal, appId: undefined, appSecret: 'from-file-secret' });
    const config = loadConfig({
      file,
      env: { FEISHU_APP_ID: 'cli_env', FEISHU_APP_SECRET: 'from-env-secret', FEISHU_BASE_URL: 'lark' },
    });
    expect(config).toMatchObject({ appId: 'cli_env', appSecret: 'from-env-secret', baseUrl: LARK_BASE_URL });
  });

  it('lets overrides win and resolves their paths against the working directory', () => {
    const file = writeConfig(minimal);
    const config = loadConfig({ file, env: {}, cwd: '/tmp/work', overrides: { outputDir: 'elsewhere' } });
    expect(config.outputDir).toBe('/tmp/work/elsewhere');
  });

  it('ignores $comment keys at any depth', () => {
    const file = writeConfig({ ...minimal, $comment: 'hi', limits: { $note: 'x', downloadQps: 2 } });
    expect(loadConfig({ file, env: {} }).limits.downloadQps).toBe(2);
  });

  it('reports every problem at once, each with its fix, without echoing the secret', () => {
    const file = writeConfig({
      appId: 'cli_x',
      appSecret: 12345678,
      roots: [
        { type: 'foldr', token: 'x' },
        { url: 'https://example.com/nothing' },
        { type: 'wiki', spaceId: 7034502641455497 },
      ],
      outputdir: 'out',
      limits: { downloadQps: -1, rates: { 'docx.block': 2 }, dayBoundaryTimeZone: 'Mars/Base' },
    });
    const problems = problemsOf(() => loadConfig({ file, env: {} }));
    const text = problems.join('\n');
    expect(text).toContain('outputdir: unknown key (did you mean "outputDir"?)');
    expect(text).toContain('outputDir: missing');
    expect(text).toContain('appSecret: invalid');
    expect(text).toContain('roots[0].type');
    expect(text).toContain('did you mean "folder"?');
    expect(text).toContain('roots[1].url');
    expect(text).toContain('roots[2].spaceId: write the wiki space id (digits) as a string');
    expect(text).toContain('limits.downloadQps');
    expect(text).toContain('did you mean "docx.blocks"?');
    expect(text).toContain('limits.dayBoundaryTimeZone: invalid; use an IANA time zone');
    expect(text).not.toContain('12345678');
    expect(problems.length).toBeGreaterThanOrEqual(8);
  });

  it('names the missing credentials and how to provide them', () => {
    const file = writeConfig({ roots: minimal.roots, outputDir: 'o' });
    const problems = problemsOf(() => loadConfig({ file, env: {} }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('FEISHU_APP_ID'),
        expect.stringContaining('FEISHU_APP_SECRET'),
      ]),
    );
  });

  it('explains a missing file and invalid JSON', () => {
    expect(problemsOf(() => loadConfig({ file: '/nonexistent/config.json', env: {} }))[0]).toContain(
      'does not exist',
    );
    expect(problemsOf(() => loadConfig({ file: writeConfig('{"appId": "x",}'), env: {} }))[0]).toContain(
      'not valid JSON',
    );
  });

  it('warns when roots are Lark URLs but the base URL is Feishu', () => {
    const file = writeConfig({ ...minimal, roots: [{ url: 'https://acme.larksuite.com/docx/doxAbcdefgh' }] });
    expect(problemsOf(() => loadConfig({ file, env: {} })).join()).toContain('"baseUrl": "lark"');
  });

  it('turns rates of 0, "off" and "Infinity" into no pacing, and collapses duplicate roots', () => {
    const file = writeConfig({
      ...minimal,
      roots: [{ type: 'docx', token: 'doxAbcdefgh' }, { url: 'https://x.feishu.cn/docx/doxAbcdefgh' }],
      limits: { rates: { 'docx.blocks': 0, 'drive.list': 'off', 'bitable.records': 'Infinity', auth: 2 } },
    });
    const config = loadConfig({ file, env: {} });
    expect(config.roots).toEqual([{ type: 'docx', token: 'doxAbcdefgh' }]);
    expect(config.limits.rates).toEqual({
      'docx.blocks': Number.POSITIVE_INFINITY,
      'drive.list': Number.POSITIVE_INFINITY,
      'bitable.records': Number.POSITIVE_INFINITY,
      auth: 2,
    });
  });
});
