import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startTenant, tempDir, writeConfig } from '../cli/helpers.js';
import type { FakeFeishu } from '../fake-feishu/index.js';

/**
 * The app secret and every token the server issued never appear in any byte the CLI wrote: stdout,
 * stderr (human, --json, --verbose, errors with stacks), the inventory and its WAL, the lock, snapshots,
 * the view, or any other file under the output directory.
 */
let fake: FakeFeishu | undefined;

function everyFile(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

/** Tenant tokens the fake issued, read from the Authorization headers it received. */
function issuedTokens(f: FakeFeishu): string[] {
  const tokens = new Set<string>();
  for (const r of f.requests) {
    const auth = r.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) tokens.add(auth.slice(7));
  }
  return [...tokens];
}

describe('secrets', () => {
  it('never reach any output, log, event, error, inventory or file, whatever the verbosity or outcome', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const file = writeConfig(dir, fake);
    const outputs: string[] = [];
    const run = async (args: string[]): Promise<void> => {
      const r = await runCli([...args, '--config', file]);
      outputs.push(r.stdout, r.stderr);
    };
    // Every verbosity; the token invalidated between runs; 5xx, 403 and JSON-200 error bodies recorded.
    await run(['backup', '--json', '--verbose']);
    fake.invalidateTokens();
    fake.inject({ route: 'docx.document', fault: { kind: 'error', status: 500 }, times: 2 });
    fake.inject({ route: 'docx.blocks', fault: { kind: 'error', status: 403, code: 1770032 }, times: 1 });
    fake.inject({ route: 'media.download', fault: { kind: 'json-200', code: 99991663 }, times: 1 });
    await run(['backup', '--verbose']);
    await run(['status', '--json']);
    await run(['export', '--format', 'csv']);
    await run(['verify', '--verbose']);
    // A refused secret (exit 2), with --verbose and --json.
    fake.faults.clear();
    const wrong = writeConfig(tempDir(), fake, { appSecret: `${fake.appSecret}x` });
    const bad = await runCli(['backup', '--verbose', '--json', '--config', wrong]);
    outputs.push(bad.stdout, bad.stderr);
    expect(bad.code).toBe(2);

    const secrets = [fake.appSecret, `${fake.appSecret}x`, ...issuedTokens(fake)];
    expect(issuedTokens(fake).length).toBeGreaterThanOrEqual(2);
    const files = everyFile(join(dir, 'backup'));
    expect(files.some((f) => f.endsWith('inventory.sqlite'))).toBe(true);
    for (const secret of secrets) {
      for (const [i, text] of outputs.entries()) expect(text.includes(secret), `output #${i}`).toBe(false);
      for (const f of files) {
        expect(readFileSync(f).includes(Buffer.from(secret)), f).toBe(false);
      }
    }
  });

  it('a config file that holds the secret and is readable by others draws a warning; owner-only does not', async () => {
    fake = await startTenant();
    const dir = tempDir();
    const file = writeConfig(dir, fake);
    const quiet = await runCli(['crawl', '--quiet', '--config', file]);
    expect(quiet.stderr).not.toMatch(/readable by other users/);
    chmodSync(file, 0o644);
    const loud = await runCli(['crawl', '--quiet', '--config', file]);
    expect(loud.stderr).toMatch(
      /holds the app secret and is readable by other users \(mode 644\): run `chmod 600/,
    );
    expect(loud.stderr.includes(fake.appSecret)).toBe(false);
    // Without the secret in it (it comes from the environment), the mode does not matter.
    const envOnly = writeConfig(tempDir(), fake, {}, false);
    chmodSync(envOnly, 0o644);
    const env = await runCli(['crawl', '--quiet', '--config', envOnly], {
      env: { FEISHU_APP_SECRET: fake.appSecret },
    });
    expect(env.code, env.stderr).toBe(0);
    expect(env.stderr).not.toMatch(/readable by other users/);
  });
});
