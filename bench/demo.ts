/**
 * `npm run demo`: the real CLI, end to end, with no credentials. Starts the fake Feishu Open API with
 * a modest generated tenant plus the real sample documents, writes a config pointing at it, runs
 * `feishu-backup backup` as a child process into ./demo-backup, then shows where to look.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoTenant, startFakeFeishu } from '../test/fake-feishu/index.js';
import { addDemoUser, demoLogin } from './demo-user.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const bin = resolve(here, '..', 'src', 'cli', 'main.js');
const outputDir = resolve(process.cwd(), 'demo-backup');

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
);

process.stdout.write(`Fake Feishu tenant listening on ${fake.url} (${tenant.media.size} media files).\n`);
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
    process.stderr.write(`\nThe demo login ended with exit code ${signedIn}; see the messages above.\n`);
    process.exit(signedIn);
  }
}
process.stdout.write(`Running: feishu-backup backup --config ${configFile}\n\n`);
const child = spawn(process.execPath, [bin, 'backup', '--config', configFile, ...passOn], {
  stdio: 'inherit',
  env: childEnv,
});
// Ctrl-C reaches the child through the terminal; the demo just waits for it to finish cleanly.
process.on('SIGINT', () => undefined);
const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)));
await fake.close();

if (code !== 0 && code !== 3) {
  process.stderr.write(`\nThe demo run ended with exit code ${code}; see the messages above.\n`);
  process.exit(code);
}
// The audit report of what was just backed up: the same command an auditor runs.
const reportFile = join(outputDir, 'report.html');
const report = spawn(
  process.execPath,
  [bin, 'export', '--format', 'html', '--out', reportFile, '--config', configFile, '--quiet'],
  {
    stdio: 'inherit',
  },
);
await new Promise<number>((done) => report.on('close', (c) => done(c ?? 1)));
const places: [string, string][] = [
  [`${join(outputDir, 'media')}/`, 'each file once, by token'],
  [`${join(outputDir, 'by-document')}/`, 'a link per document that references it'],
  [`${join(outputDir, 'view')}/`, 'the documents as Markdown and CSV, linking to the files'],
  [reportFile, 'the audit report: open it in a browser'],
  [join(outputDir, 'inventory.sqlite'), 'the SQLite inventory'],
];
const width = Math.max(...places.map(([p]) => p.length)) + 2;
process.stdout.write(`
Where to look:
${places.map(([p, what]) => `  ${p.padEnd(width)}${what}`).join('\n')}
Try next:
  node ${bin} status --config ${configFile}
  node ${bin} export --format csv --config ${configFile} | head
  node ${bin} verify --config ${configFile}
(The fake tenant is gone now, so status/export/verify work; backup would not.)
`);
if (code === 3) {
  process.stdout.write(
    'Exit code 3 is expected: the fake tenant holds a few forbidden and deleted files\n' +
      'on purpose, so you see how failures are reported, grouped by reason with a fix.\n',
  );
}
process.exitCode = 0;
