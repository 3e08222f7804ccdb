import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy passed on (or answered itself). */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
}

/**
 * A loopback HTTP proxy in front of s3rver: it counts the requests the server saw (s3rver has no
 * events for parts), and can play a server that has forgotten a multipart upload (NoSuchUpload, as
 * S3 answers after an abort or a lifecycle expiry), which s3rver itself never says.
 */
export interface S3Proxy {
  endpoint: string;
  seen: SeenRequest[];
  /** The most UploadPart requests the server had open at once. */
  maxPartsAtOnce(): number;
  /** UploadPart requests seen, as part numbers, optionally only for one upload id. */
  partsSent(uploadId?: string): number[];
  /** Requests naming this upload id are answered 404 NoSuchUpload (ListParts too, unless `listParts: false`). */
  forget(uploadId: string, opts?: { listParts?: boolean }): void;
  /**
   * Resolves once every client connection has closed (destroy the client first): by then each
   * request a stopped run had begun is in `seen`, so a count taken after it belongs to the next run.
   */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startS3Proxy(upstream: string): Promise<S3Proxy> {
  const target = new URL(upstream);
  const seen: SeenRequest[] = [];
  const forgotten = new Map<string, { listParts: boolean }>();
  let partsOpen = 0;
  let partsPeak = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const entry: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      status: 0,
    };
    seen.push(entry);
    if (req.method === 'PUT' && url.searchParams.has('partNumber')) {
      partsPeak = Math.max(partsPeak, ++partsOpen);
      res.on('close', () => partsOpen--);
    }
    const uploadId = url.searchParams.get('uploadId');
    const gone = uploadId ? forgotten.get(uploadId) : undefined;
    if (gone && (req.method !== 'GET' || gone.listParts)) {
      req.resume();
      req.on('end', () => {
        entry.status = 404;
        res.writeHead(404, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><UploadId>${uploadId}</UploadId></Error>`,
        );
      });
      return;
    }
    const up = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (upRes) => {
        entry.status = upRes.statusCode ?? 0;
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.on('error', () => up.destroy());
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  });
  let open = 0;
  let waiters: (() => void)[] = [];
  server.on('connection', (socket) => {
    open++;
    socket.on('close', () => {
      if (--open > 0) return;
      for (const w of waiters) w();
      waiters = [];
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    maxPartsAtOnce: () => partsPeak,
    partsSent: (uploadId) =>
      seen
        .filter(
          (r) =>
            r.method === 'PUT' &&
            r.query.has('partNumber') &&
            (uploadId === undefined || r.query.get('uploadId') === uploadId),
        )
        .map((r) => Number(r.query.get('partNumber'))),
    forget: (uploadId, opts) => forgotten.set(uploadId, { listParts: opts?.listParts ?? true }),
    settled: () => (open === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
