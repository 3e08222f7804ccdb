/**
 * `npm run demo -- --user`: what signing in as a person looks like, still without credentials. The
 * fake tenant gets a user whose My Space holds documents the app cannot see; `feishu-backup login`
 * runs for real (the demo plays the browser: it opens the printed link, the fake "consents" and
 * redirects to the loopback callback), then `backup` runs with "auth": "user" and a my-space root.
 */
import { spawn } from 'node:child_process';
import type { Tenant } from '../test/fake-feishu/index.js';
import { addDocx, addMedia, addUser, block, hideFromApp } from '../test/fake-feishu/index.js';

/** Adds the person and their private documents to the demo tenant. */
export function addDemoUser(tenant: Tenant): void {
  const user = addUser(tenant, { name: 'Demo User' });
  for (let i = 1; i <= 3; i++) {
    const images = [1, 2].map((n) =>
      addMedia(tenant, { name: `my-photo-${i}-${n}.png`, size: 20_000 + n * 1000 }),
    );
    const doc = addDocx(tenant, {
      title: `My private page ${i}`,
      content: [block.heading(1, `Private page ${i}`), ...images.map((m) => block.image(m.token))],
      folder: user.rootFolderToken,
    });
    hideFromApp(tenant, doc.documentId, ...images.map((m) => m.token));
  }
}

/** Runs `feishu-backup login` against the fake, acting as the browser; resolves with its exit code. */
export async function demoLogin(bin: string, configFile: string, env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(process.execPath, [bin, 'login', '--no-browser', '--json', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  let buffered = '';
  let opened = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (;;) {
      const nl = buffered.indexOf('\n');
      if (nl < 0) break;
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const event = JSON.parse(line) as { event?: string; url?: string; name?: string; message?: string };
      if (event.event === 'auth.authorize' && event.url && !opened) {
        opened = true;
        process.stdout.write(
          `login printed the sign-in link; the demo opens it as your browser would:\n  ${event.url}\n`,
        );
        void fetch(event.url, { redirect: 'follow' }).catch(() => undefined);
      } else if (event.event === 'auth.login') {
        process.stdout.write(`Signed in as ${event.name}.\n\n`);
      } else if (event.message) {
        process.stdout.write(`${event.message}\n`);
      }
    }
  });
  return new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)));
}
