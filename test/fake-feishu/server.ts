import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../src/limits/clock.js';
import { authFailure, TokenStore, tokenRoute } from './auth.js';
import {
  ContractError,
  type FakeRequest,
  fail,
  type JsonReply,
  type Reply,
  type RouteContext,
  type RouteName,
} from './contract.js';
import { type ExpectedMedia, expectedMedia } from './expected.js';
import { type ArmedFault, FaultRegistry, type FaultSpec } from './faults.js';
import { Limits, type RateLimit, rateLimited } from './limits.js';
import type { Tenant } from './model.js';
import { bodyFaultOf, sendBlob, sendJson, sendMalformedJson } from './respond.js';
import { bitableRoutes } from './routes/bitable.js';
import { docxRoutes } from './routes/docx.js';
import { driveRoutes } from './routes/drive.js';
import { mediaRoutes } from './routes/media.js';
import type { RouteDef } from './routes/route.js';
import { sheetsRoutes } from './routes/sheets.js';
import { wikiRoutes } from './routes/wiki.js';

export interface FakeFeishuOptions {
  tenant: Tenant;
  /** Drives token expiry, rate windows, the daily cap and slow bodies. @default systemClock */
  clock?: Clock;
}

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

/** The validation failure Feishu answers to a malformed request. */
const VALIDATION_CODE = 99992402;

const ROUTES: RouteDef[] = [
  ...driveRoutes,
  ...wikiRoutes,
  ...docxRoutes,
  ...sheetsRoutes,
  ...bitableRoutes,
  ...mediaRoutes,
];

/** A loopback Feishu Open API over a mutable tenant. Start it with {@link startFakeFeishu}. */
export class FakeFeishu {
  readonly tenant: Tenant;
  readonly clock: Clock;
  readonly requests: RequestRecord[] = [];
  readonly unexpected: UnexpectedRequest[] = [];
  readonly faults: FaultRegistry;
  url = '';
  readonly #server: Server;
  readonly #tokens: TokenStore;
  readonly #limits: Limits;
  #closed = false;

  constructor(options: FakeFeishuOptions) {
    this.tenant = options.tenant;
    this.clock = options.clock ?? systemClock;
    this.faults = new FaultRegistry(options.tenant.seed);
    this.#tokens = new TokenStore(this.clock);
    this.#limits = new Limits(this.clock);
    this.#server = createServer({ keepAlive: true }, (req, res) => {
      this.#handle(req, res).catch((e: unknown) => {
        // A bug in the fake itself: make it loud, and fail the test through `unexpected`.
        this.unexpected.push({ ...this.#record(req, null), reason: `fake crashed: ${String(e)}` });
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
  }

  get appId(): string {
    return this.tenant.appId;
  }

  get appSecret(): string {
    return this.tenant.appSecret;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Over `perSecond` requests in a second, `route` answers Feishu's rate-limit error. `undefined` lifts it. */
  setRateLimit(route: RouteName, limit: RateLimit | undefined): void {
    this.#limits.setRateLimit(route, limit);
  }

  /** After `cap` calls in a day (China time), `route` answers 1061045. `undefined` lifts it. */
  setDailyCap(route: RouteName, cap: number | undefined): void {
    this.#limits.setDailyCap(route, cap);
  }

  /** Calls left today under a daily cap. */
  remainingToday(route: RouteName): number | undefined {
    return this.#limits.remainingToday(route);
  }

  /** Every token handed out so far expires now. */
  expireTokens(): void {
    this.#tokens.expireAll();
  }

  /** Every token handed out so far is revoked (99991663 on use) before its time. */
  invalidateTokens(): void {
    this.#tokens.invalidateAll();
  }

  /** Lifetime of tokens issued from now on, in seconds. @default 7200 */
  setTokenTtl(seconds: number): void {
    if (!(Number.isInteger(seconds) && seconds > 0))
      throw new TypeError(`Expected a positive integer, got ${seconds}`);
    this.#tokens.ttlSeconds = seconds;
  }

  /** Shorthand for `faults.inject`. */
  inject(spec: FaultSpec): ArmedFault {
    return this.faults.inject(spec);
  }

  /** Every media reachable from the tenant's documents: what a perfect backup contains. */
  expectedMedia(): Map<string, ExpectedMedia> {
    return expectedMedia(this.tenant);
  }

  /** Requests that matched `route` (and optionally a predicate). */
  requestsTo(route: RouteName): RequestRecord[] {
    return this.requests.filter((r) => r.route === route);
  }

  /**
   * Stops the server; throws if any request was unexpected, or any injected fault never fired, so the
   * test fails.
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#server.closeAllConnections();
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    }
    if (this.unexpected.length > 0) {
      const lines = this.unexpected.map((u) => `  ${u.method} ${u.path}: ${u.reason}`).slice(0, 20);
      throw new Error(
        `fake Feishu received ${this.unexpected.length} unexpected request(s):\n${lines.join('\n')}`,
      );
    }
    const unused = this.faults.unused();
    if (unused.length > 0) {
      const lines = unused.map(
        (a) => `  ${a.spec.route}: ${a.spec.fault.kind} (saw ${a.seen} matching requests)`,
      );
      throw new Error(
        `fake Feishu: ${unused.length} injected fault(s) never fired (mark a deliberate guard \`optional\`):\n${lines.join('\n')}`,
      );
    }
  }

  #record(req: IncomingMessage, route: RouteName | null): RequestRecord {
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
      at: this.clock.now(),
    };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    let def: RouteDef | undefined;
    let match: RegExpExecArray | null = null;
    for (const candidate of ROUTES) {
      match = candidate.pattern.exec(url.pathname);
      if (match && candidate.method === req.method) {
        def = candidate;
        break;
      }
    }
    const routeName: RouteName | null =
      def?.name ??
      (url.pathname === '/open-apis/auth/v3/tenant_access_token/internal' && req.method === 'POST'
        ? 'auth'
        : null);
    const record = this.#record(req, routeName);
    this.requests.push(record);
    const reject = async (reason: string, reply: JsonReply): Promise<void> => {
      this.unexpected.push({ ...record, reason });
      record.status = reply.status;
      record.bytesSent = await sendJson(res, reply, this.clock, {});
    };
    if (routeName === null) {
      return reject(
        'no route',
        fail(404, 404, `404 page not found: route not found: ${req.method} ${url.pathname}`),
      );
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reject(
          'request body is not JSON',
          fail(400, VALIDATION_CODE, 'field validation failed: body is not JSON'),
        );
      }
    }
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(match?.groups ?? {})) params[k] = decodeURIComponent(v);
    const fr: FakeRequest = {
      method: req.method!,
      path: url.pathname,
      route: routeName,
      params,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    const ctx: RouteContext = { tenant: this.tenant, clock: this.clock, baseUrl: this.url };

    let reply: Reply | undefined;
    if (routeName !== 'auth' && def?.auth !== false) {
      const state = this.#tokens.check(req.headers.authorization);
      if (state !== 'ok') reply = authFailure(state);
    }
    reply ??= this.#limits.checkRate(routeName) ?? this.#limits.checkDailyCap(routeName);
    const fault = reply ? undefined : this.faults.take(fr);
    if (fault?.kind === 'malformed-json') {
      record.status = 200;
      record.bytesSent = await sendMalformedJson(res, this.clock);
      return;
    }
    if (fault?.kind === 'error') {
      reply = fail(
        fault.status,
        fault.code ?? (fault.status >= 500 ? 1061001 : fault.status),
        fault.msg ?? 'internal error',
        fault.headers,
      );
    } else if (fault?.kind === 'rate-limit') {
      reply = rateLimited(routeName, 5, fault.resetSeconds ?? 1);
    } else if (fault?.kind === 'json-200') {
      reply = fail(200, fault.code ?? 1061001, fault.msg ?? 'internal error');
    }
    if (!reply) {
      try {
        reply = routeName === 'auth' ? tokenRoute(fr, ctx, this.#tokens) : def!.handle(fr, ctx);
      } catch (e) {
        if (!(e instanceof ContractError)) throw e;
        return reject(e.message, fail(400, VALIDATION_CODE, `field validation failed: ${e.message}`));
      }
    }
    const bf = bodyFaultOf(fault);
    if (reply.kind === 'json') {
      record.status = reply.status;
      record.bytesSent = await sendJson(res, reply, this.clock, bf);
      return;
    }
    const range = fault?.kind === 'ignore-range' ? undefined : req.headers.range;
    const sent = await sendBlob(res, reply, range, this.clock, bf);
    record.status = sent.status;
    record.bytesSent = sent.bytes;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** Starts a fake Feishu on 127.0.0.1 and a free port. */
export async function startFakeFeishu(options: FakeFeishuOptions): Promise<FakeFeishu> {
  const fake = new FakeFeishu(options);
  await fake.listen();
  return fake;
}
