import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback proxy in front of the fake; see {@link startNoLengthProxy}. */
export interface NoLengthProxy {
  url: string;
  /** Paths of the answers whose `Content-Length` it removed, in order. */
  stripped: string[];
  close: () => Promise<void>;
}

/**
 * Forwards every request to `target` (the fake, which records it and applies its faults as usual) and
 * removes `Content-Length` from the full (200) answers of download routes, as a server streaming a
 * body of unknown length does: the client gets it chunked, so it learns no size from it. A body the
 * fake cuts (a `reset` fault) is cut here too, after the same bytes and before its last chunk: the
 * client sees a broken body, never a clean end. 206 and 416 answers pass unchanged (they carry `Content-Range`).
 */
export async function startNoLengthProxy(target: string): Promise<NoLengthProxy> {
  const agent = new Agent({ keepAlive: true });
  const stripped: string[] = [];
  const server = createServer({ keepAlive: true }, (req, res) => {
    const path = req.url ?? '/';
    const up = request(
      `${target}${path}`,
      { method: req.method, headers: { ...req.headers, host: new URL(target).host }, agent },
      (upRes) => {
        const headers = { ...upRes.headers };
        // Hop-by-hop: this side of the proxy chooses its own framing.
        delete headers.connection;
        delete headers['keep-alive'];
        delete headers['transfer-encoding'];
        if (upRes.statusCode === 200 && /\/download(_as_image)?$/.test(path.split('?')[0]!)) {
          delete headers['content-length'];
          stripped.push(path);
        }
        res.writeHead(upRes.statusCode ?? 502, headers);
        // Cut where the fake cut: every byte it sent gets through, then the connection closes
        // without the chunked body's last chunk (an error to the client, never a clean end).
        upRes.on('error', () => res.socket?.destroySoon());
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stripped,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
