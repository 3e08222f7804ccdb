import type { FakeRequest, Reply, RouteContext, RouteName } from '../contract.js';

export interface RouteDef {
  name: RouteName;
  method: 'GET' | 'POST';
  /** Matched against the path; named groups become `req.params`. */
  pattern: RegExp;
  /** Whether the gateway demands a valid tenant token. @default true */
  auth?: boolean;
  /**
   * Served only on the second loopback host that stands for Feishu's download host (outside
   * /open-apis), where the temporary URLs point; every other route only on the Open API host.
   */
  downloadHost?: boolean;
  handle: (req: FakeRequest, ctx: RouteContext) => Reply;
}

/** Feishu-style time fields are epoch seconds as strings. */
export function secs(n: number): string {
  return String(n);
}
