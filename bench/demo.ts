/**
 * `npm run demo`: the real CLI, end to end, with no credentials. Starts the fake Feishu Open API with
 * a modest generated tenant plus the real sample documents, writes a config pointing at it, runs
 * `feishu-backup backup` as a child process into ./demo-backup, then shows where to look.
 *
 * Each run starts clean: a ./demo-backup left by an earlier demo is removed (and the demo says so),
 * since its inventory would make the second run "download 0 files". A ./demo-backup the demo did
 * not write is left alone and the demo stops. The config is temporary and removed at the end; the
 * commands it suggests read the backup with --output-dir alone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wrapText } from '../src/cli/format.js';
import { openInventory } from '../src/inventory/open.js';
import { readStatus } from '../src/inventory/status.js';
import { demoTenant, startFakeFeishu } from '../test/fake-feishu/index.js';
import { addDemoUser, demoLogin } from './demo-user.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const bin = resolve(here, '..', 'src', 'cli', 'main.js');
const outputDir = resolve(process.cwd(), 'demo-backup');
const shown = relative(process.cwd(), outputDir);

if (existsSync(outputDir)) {
  if (!existsSync(join(outputDir, 'inventory.sqlite')) && readdirSync(outputDir).length > 0) {
    process.stderr.write(
      `./${shown} exists and is not a demo backup (no inventory.sqlite in it): move it away, then run the demo again.\n`,
    );
    process.exit(2);
  }
  rmSync(outputDir, { recursive: true, force: true });
  process.stdout.write(`Removed ./${shown} from an earlier demo run; starting clean.\n`);
}

// `npm run demo -- --user`: sign in as a person (to the fake) and back up their My Space.
const asUser = process.argv.includes('--user');
const passOn = process.argv.slice(2).filter((a) => a !== '--user');
const tenant = demoTenant();
if (asUser) addDemoUser(tenant);
const fake = await startFakeFeishu({ tenant });
const configDir = mkdtempSync(join(tmpdir(), 'feishu-backup-demo-'));
const configFile = join(configDir, 'demo-config.json');
writeFileSync(
  configFile,
  `${JSON.stringify(
    {
      $comment: 'Written by npm run demo: a fake tenant on loopback, so no real credentials.',
      appId: fake.appId,
      baseUrl: fake.url,
      ...(asUser
        ? { auth: 'user', roots: [{ type: 'my-space' }], login: { port: 18765 } }
        : {
            roots: [
              { type: 'folder', token: tenant.rootFolderToken },
              ...tenant.wikiSpaces.map((w) => ({ type: 'wiki', spaceId: w.spaceId })),
            ],
          }),
      outputDir,
      limits: { downloadQps: 50, concurrency: 8 },
    },
    null,
    2,
  )}\n`,
  { mode: 0o600 },
);

process.stdout.write(`Fake Feishu tenant listening on ${fake.url}.\n`);
// The secret travels in the environment, as we recommend for real use; it never appears in output.
const childEnv = {
  ...process.env,
  FEISHU_APP_SECRET: fake.appSecret,
  NO_PROXY: '127.0.0.1,localhost',
  no_proxy: '127.0.0.1,localhost',
};
if (asUser) {
  process.stdout.write(`Running: feishu-backup login --config ${configFile}\n`);
  const signedIn = await demoLogin(bin, configFile, childEnv);
  if (signedIn !== 0) {
    await fake.close();
    rmSync(configDir, { recursive: true, force: true });
    process.stderr.write(`\nThe demo login ended with exit code ${signedIn}; see the messages above.\n`);
    process.exit(signedIn);
  }
}
process.stdout.write(`Running feishu-backup backup with a temporary config:\n  ${configFile}\n\n`);
const child = spawn(process.execPath, [bin, 'backup', '--config', configFile, ...passOn], {
  stdio: 'inherit',
  env: childEnv,
});
// Ctrl-C reaches the child through the terminal; the demo just waits for it to finish cleanly.
process.on('SIGINT', () => undefined);
const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)));
await fake.close();

if (code !== 0 && code !== 3) {
  rmSync(configDir, { recursive: true, force: true });
  process.stderr.write(`\nThe demo run ended with exit code ${code}; see the messages above.\n`);
  process.exit(code);
}
// The audit report of what was just backed up: the same command an auditor runs.
const reportFile = join(outputDir, 'report.html');
const report = spawn(
  process.execPath,
  [bin, 'export', '--format', 'html', '--out', reportFile, '--output-dir', outputDir, '--quiet'],
  { stdio: 'inherit' },
);
await new Promise<number>((done) => report.on('close', (c) => done(c ?? 1)));
rmSync(configDir, { recursive: true, force: true });

const places: [string, string][] = [
  [`${shown}/media/`, 'each file once, by token'],
  [`${shown}/by-document/`, 'a link per document that references it'],
  [`${shown}/view/`, 'Markdown and CSV of the documents, linking the files'],
  [`${shown}/report.html`, 'the audit report: open it in a browser'],
  [`${shown}/inventory.sqlite`, 'the SQLite inventory'],
];
const width = Math.max(...places.map(([p]) => p.length)) + 2;
const cli = `node ${relative(process.cwd(), bin).startsWith('..') ? bin : relative(process.cwd(), bin)}`;
process.stdout.write(`
Where to look:
${places.map(([p, what]) => `  ${p.padEnd(width)}${what}`).join('\n')}
Try next (they read the backup; the fake tenant is gone now):
  ${cli} status --output-dir ${shown}
  ${cli} export --format csv --output-dir ${shown} | head
  ${cli} verify --output-dir ${shown}
`);
if (code === 3) process.stdout.write(`${failuresExplained()}\n`);
process.exitCode = 0;

/** Says which failures the fake tenant holds on purpose, in the numbers the summary showed. */
function failuresExplained(): string {
  const db = openInventory(join(outputDir, 'inventory.sqlite'), { readonly: true });
  try {
    const failures = readStatus(db, { day: '1970-01-01', topFailures: 20 }).failures;
    const count = (kind: string): number =>
      failures.filter((f) => f.kind === kind).reduce((n, f) => n + f.count, 0);
    const parts = [
      [count('permission'), 'the app may not read'],
      [count('not_found'), 'deleted from Feishu'],
    ]
      .filter(([n]) => Number(n) > 0)
      .map(([n, what]) => `${n} ${Number(n) === 1 ? 'file or document' : 'files or documents'} ${what}`);
    const others = failures.reduce((n, f) => n + f.count, 0) - count('permission') - count('not_found');
    if (others > 0) parts.push(`${others} other failures`);
    return wrapText(
      `Exit code 3 is expected: the fake tenant holds ${parts.join(' and ')} on purpose, so you see how failures are reported: grouped by reason, each with its fix.`,
      79,
    );
  } finally {
    db.close();
  }
}
