import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { RouteName } from './contract.js';

export interface RequestRecord {
  method: string;
  path: string;
  /** The route it matched, or null. */
  route: RouteName | null;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  status: number;
  /** Body bytes written (less than promised when a fault cut the body). */
  bytesSent: number;
  /** Clock time when it arrived. */
  at: number;
}

export interface UnexpectedRequest extends RequestRecord {
  reason: string;
}

/** A record of `req` as it arrived at `at`; status and bytesSent are filled in once it is answered. */
export function recordRequest(req: IncomingMessage, route: RouteName | null, at: number): RequestRecord {
  const url = new URL(req.url ?? '/', 'http://fake');
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    query[key] = all.length === 1 ? all[0]! : all;
  }
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    route,
    query,
    headers: req.headers,
    status: 0,
    bytesSent: 0,
    at,
  };
}
