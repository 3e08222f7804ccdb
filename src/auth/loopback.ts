import { createServer, type Server } from 'node:http';
import { LoginError } from './errors.js';

export interface Callback {
  /** `http://127.0.0.1:<port>/callback`: must match a redirect URL registered in the console. */
  redirectUri: string;
  /** Resolves with the code of the callback whose `state` matches; rejects on denial or mismatch. */
  code: Promise<string>;
  close(): Promise<void>;
}

const PAGE = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><p>${text}</p>`;

/**
 * The loopback redirect target of the code flow (RFC 8252 section 7.3): listens on 127.0.0.1 only,
 * takes one callback, checks its `state` against ours (a mismatch is a forged or stale redirect),
 * and hands the code over. A port already in use fails at once with the fix.
 */
export async function listenForCallback(port: number, state: string): Promise<Callback> {
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  let settle!: { resolve: (code: string) => void; reject: (e: Error) => void };
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Not every caller awaits `code` before closing (a failed start): never an unhandled rejection.
  code.catch(() => undefined);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const reply = (status: number, title: string, text: string): void => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE(title, text));
    };
    if (url.searchParams.get('state') !== state) {
      reply(
        400,
        'Sign-in refused',
        'This sign-in link does not belong to the waiting login. Start it again.',
      );
      settle.reject(
        new LoginError(
          'state_mismatch',
          'The sign-in callback carried a different `state` than this login asked for (a stale or forged redirect); nothing was saved.',
          'Run `feishu-backup login` again and use the link it prints.',
        ),
      );
      return;
    }
    const error = url.searchParams.get('error');
    const got = url.searchParams.get('code');
    if (error || !got) {
      reply(200, 'Sign-in cancelled', 'You did not allow access. You can close this tab.');
      settle.reject(
        new LoginError(
          'denied',
          `The sign-in was not allowed (${error ?? 'no code in the callback'}); nothing was saved.`,
          'Run `feishu-backup login` again and choose Authorize on the consent page.',
        ),
      );
      return;
    }
    reply(200, 'Signed in', 'feishu-backup is signed in. You can close this tab.');
    settle.resolve(got);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'EADDRINUSE'
          ? new LoginError(
              'port_in_use',
              `Port ${port} on 127.0.0.1 is in use, so the sign-in redirect ${redirectUri} cannot be received.`,
              'Stop what listens there, or pass --port <n> (or set "login": {"port": n}) with a port whose http://127.0.0.1:<n>/callback is registered as a redirect URL in the developer console.',
              { cause: e },
            )
          : e,
      );
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    redirectUri,
    code,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
