import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../src/limits/clock.js';
import { TokenStore } from './auth.js';
import type { RouteName } from './contract.js';
import { dispatch } from './dispatch.js';
import { type ExpectedMedia, expectedMedia } from './expected.js';
import { type ArmedFault, FaultRegistry, type FaultSpec } from './faults.js';
import { Limits, type RateLimit } from './limits.js';
import type { Tenant } from './model.js';
import type { OAuthState } from './oauth/routes.js';
import { UserSessions } from './oauth/sessions.js';
import { type RequestRecord, recordRequest, type UnexpectedRequest } from './request-record.js';

export interface FakeFeishuOptions {
  tenant: Tenant;
  /** Drives token expiry, rate windows, the daily cap and slow bodies. @default systemClock */
  clock?: Clock;
  /** Enforce every route's documented frequency limit (`DOCUMENTED_LIMITS` in limits.ts). @default false */
  documentedLimits?: boolean;
}

/** A loopback Feishu Open API over a mutable tenant. Start it with {@link startFakeFeishu}. */
export class FakeFeishu {
  readonly tenant: Tenant;
  readonly clock: Clock;
  readonly requests: RequestRecord[] = [];
  readonly unexpected: UnexpectedRequest[] = [];
  readonly faults: FaultRegistry;
  url = '';
  /** The second loopback host, standing for Feishu's download host: the temporary URLs point here. */
  downloadUrl = '';
  readonly #server: Server;
  readonly #download: Server;
  readonly #tokens: TokenStore;
  readonly #limits: Limits;
  /** The user login side: consent, codes, rotating refresh tokens, the device flow. */
  readonly users: UserSessions;
  /** Hooks tests use to hold a refresh in flight (see `holdRefreshes`). */
  readonly oauth: OAuthState;
  #closed = false;

  constructor(options: FakeFeishuOptions) {
    this.tenant = options.tenant;
    this.clock = options.clock ?? systemClock;
    this.faults = new FaultRegistry(options.tenant.seed);
    this.#tokens = new TokenStore(this.clock);
    this.#limits = new Limits(this.clock);
    this.users = new UserSessions(this.clock);
    this.oauth = { tenant: this.tenant, sessions: this.users, now: () => this.clock.now() };
    if (options.documentedLimits) this.#limits.enforceDocumentedLimits();
    this.#server = createServer({ keepAlive: true }, (req, res) => this.#answer(req, res, 'open'));
    this.#download = createServer({ keepAlive: true }, (req, res) => this.#answer(req, res, 'download'));
  }

  #answer(req: IncomingMessage, res: ServerResponse, host: 'open' | 'download'): void {
    dispatch(req, res, {
      tenant: this.tenant,
      clock: this.clock,
      baseUrl: this.url,
      downloadUrl: this.downloadUrl,
      host,
      tokens: this.#tokens,
      limits: this.#limits,
      faults: this.faults,
      requests: this.requests,
      unexpected: this.unexpected,
      oauth: this.oauth,
    }).catch((e: unknown) => {
      // A bug in the fake itself: make it loud, and fail the test through `unexpected`.
      this.unexpected.push({
        ...recordRequest(req, null, this.clock.now()),
        reason: `fake crashed: ${String(e)}`,
      });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  }

  get appId(): string {
    return this.tenant.appId;
  }

  get appSecret(): string {
    return this.tenant.appSecret;
  }

  async listen(): Promise<void> {
    for (const server of [this.#server, this.#download]) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    openFakes.add(this);
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    this.downloadUrl = `http://127.0.0.1:${(this.#download.address() as AddressInfo).port}`;
  }

  /**
   * Over `perSecond` requests in a sliding second (or `perMinute` in a sliding 60 s), `route` answers
   * Feishu's rate-limit error. `undefined` lifts it.
   */
  setRateLimit(route: RouteName, limit: RateLimit | undefined): void {
    this.#limits.setRateLimit(route, limit);
  }

  /** Every route at the limit its official page documents (`DOCUMENTED_LIMITS` in limits.ts). */
  enforceDocumentedLimits(): void {
    this.#limits.enforceDocumentedLimits();
  }

  /** After `cap` calls in a day (China time), `route` answers 1061045. `undefined` lifts it. */
  setDailyCap(route: RouteName, cap: number | undefined): void {
    this.#limits.setDailyCap(route, cap);
  }

  /**
   * The free plan's monthly quota: after `calls` more calls (every route but the token and the
   * pre-signed URLs), every route answers 99991403. `undefined` lifts it.
   */
  setMonthlyQuota(calls: number | undefined): void {
    this.#limits.setMonthlyQuota(calls);
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

  /**
   * Holds every refresh request before it rotates anything, until the returned `release` is called;
   * `arrived` resolves when the first one comes in.
   */
  holdRefreshes(): { arrived: Promise<void>; release: () => void } {
    let release!: () => void;
    let arrivedResolve!: () => void;
    const arrived = new Promise<void>((r) => {
      arrivedResolve = r;
    });
    this.oauth.gate = new Promise<void>((r) => {
      release = () => {
        this.oauth.gate = undefined;
        this.oauth.onRefresh = undefined;
        r();
      };
    });
    this.oauth.onRefresh = arrivedResolve;
    return { arrived, release };
  }

  /** Shorthand for `faults.inject`. */
  inject(spec: FaultSpec): ArmedFault {
    return this.faults.inject(spec);
  }

  /** Every media reachable from the tenant's documents: what a perfect backup contains. */
  expectedMedia(): Map<string, ExpectedMedia> {
    return expectedMedia(this.tenant);
  }

  /** Requests that matched `route`. */
  requestsTo(route: RouteName): RequestRecord[] {
    return this.requests.filter((r) => r.route === route);
  }

  /**
   * Stops the server; throws if any request was unexpected, or any injected fault never fired, so the
   * test fails.
   */
  async close(): Promise<void> {
    openFakes.delete(this);
    if (!this.#closed) {
      this.#closed = true;
      for (const server of [this.#server, this.#download]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
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
}

/** Fakes listening and not yet closed: what a test left open, for {@link closeOpenFakes}. */
const openFakes = new Set<FakeFeishu>();

/** The fakes listening now (a copy). */
export function listeningFakes(): Set<FakeFeishu> {
  return new Set(openFakes);
}

/**
 * Closes every fake still open except those in `keep`, with the checks `close` makes (unexpected
 * requests, injected faults that never fired), so a test that forgets to close its fake still fails
 * on them. Run by the vitest setup file `close-after-each.ts`.
 */
export async function closeOpenFakes(keep: ReadonlySet<FakeFeishu> = new Set()): Promise<void> {
  const errors: unknown[] = [];
  for (const fake of [...openFakes]) {
    if (keep.has(fake)) continue;
    try {
      await fake.close();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1)
    throw new AggregateError(errors, `${errors.length} fake Feishu servers failed their checks`);
}

/** Starts a fake Feishu on 127.0.0.1 and a free port. */
export async function startFakeFeishu(options: FakeFeishuOptions): Promise<FakeFeishu> {
  const fake = new FakeFeishu(options);
  await fake.listen();
  return fake;
}
