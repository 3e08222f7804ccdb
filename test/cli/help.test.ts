import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/cli/format.js';
import { runCli } from './helpers.js';

const COMMANDS = ['backup', 'crawl', 'download', 'init', 'status', 'export', 'verify', 'render'];

describe('--help at 80 columns', () => {
  it('shows top-level examples, whole commands under what they do', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n {2}Write a starting config here.*:\n {4}feishu-backup init\n/);
    expect(r.stdout).toMatch(/\n {4}feishu-backup backup --dry-run\n/);
  });

  it('fits every line of every command help in 80 columns, with no type labels run into names', async () => {
    for (const command of ['', ...COMMANDS]) {
      const r = await runCli(command ? [command, '--help'] : ['--help']);
      expect(r.code).toBe(0);
      for (const line of r.stdout.split('\n')) {
        expect(displayWidth(line), `${command}: ${line}`).toBeLessThan(80);
      }
      expect(r.stdout, command).not.toMatch(/\[(string|boolean|number)\]/);
      // Every example command sits whole on its own line.
      const examples = r.stdout.split('Examples:\n')[1]?.split('\n\n')[0] ?? '';
      for (const line of examples.split('\n').filter((l) => l.startsWith('    '))) {
        expect(line, command).toMatch(/^ {4}feishu-backup \S/);
      }
      if (command) expect(examples, command).toMatch(new RegExp(`feishu-backup ${command}`));
    }
  });

  it('answers a misspelt flag with "did you mean"', async () => {
    const r = await runCli(['backup', '--confg', 'x.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown argument: confg/);
    expect(r.stderr).toMatch(/--confg: did you mean --config\?/);
    const dry = await runCli(['backup', '--dryrun']);
    expect(dry.stderr).toMatch(/did you mean --dry-run\?/);
  });
});
