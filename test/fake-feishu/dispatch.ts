import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../src/limits/clock.js';
import { authFailure, type TokenStore, tokenRoute } from './auth.js';
import {
  ContractError,
  type FakeRequest,
  fail,
  type JsonReply,
  type Reply,
  type RouteContext,
} from './contract.js';
import type { FaultRegistry } from './faults.js';
import { type Limits, rateLimited } from './limits.js';
import type { Tenant } from './model.js';
import { answerOAuth, type OAuthState, oauthRoute, sendAnswer } from './oauth/routes.js';
import { type RequestRecord, recordRequest, type UnexpectedRequest } from './request-record.js';
import { bodyFaultOf, sendBlob, sendJson, sendMalformedJson } from './respond.js';
import { matchRoute, pathParams } from './routes/registry.js';
import { hiddenFromApp } from './visibility.js';

/** What answering a request reads and writes: the fake's tenant, gates and logs. */
export interface DispatchState {
  tenant: Tenant;
  clock: Clock;
  baseUrl: string;
  /** The download host's base URL (temporary URLs point there). */
  downloadUrl: string;
  /** Which of the fake's two hosts got the request. */
  host: 'open' | 'download';
  tokens: TokenStore;
  limits: Limits;
  faults: FaultRegistry;
  requests: RequestRecord[];
  unexpected: UnexpectedRequest[];
  /** The user login side (OAuth) and the user tokens it issued. */
  oauth: OAuthState;
}

/** The validation failure Feishu answers to a malformed request. */
const VALIDATION_CODE = 99992402;

/** Records and answers one request: route, token check, rate limit, daily cap, fault, handler. */
export async function dispatch(
  req: IncomingMessage,
  res: ServerResponse,
  state: DispatchState,
): Promise<void> {
  const raw = await readBody(req);
  const url = new URL(req.url ?? '/', state.baseUrl || 'http://fake');
  const oauth = oauthRoute(req.method, url.pathname);
  if (oauth) {
    const rec = recordRequest(req, oauth, state.clock.now());
    state.requests.push(rec);
    const answer = await answerOAuth(oauth, req, url, raw, state.oauth);
    rec.status = answer.status;
    rec.bytesSent = sendAnswer(res, answer);
    return;
  }
  const { def, match, name: routeName } = matchRoute(req.method, url.pathname);
  const record = recordRequest(req, routeName, state.clock.now());
  state.requests.push(record);
  const reject = async (reason: string, reply: JsonReply): Promise<void> => {
    state.unexpected.push({ ...record, reason });
    record.status = reply.status;
    record.bytesSent = await sendJson(res, reply, state.clock, {});
  };
  if (routeName !== null && (def?.downloadHost === true) !== (state.host === 'download')) {
    return reject(
      `no route on the ${state.host === 'download' ? 'download' : 'Open API'} host`,
      fail(404, 404, `404 page not found: route not found: ${req.method} ${url.pathname}`),
    );
  }
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
  const fr: FakeRequest = {
    method: req.method!,
    path: url.pathname,
    route: routeName,
    params: pathParams(match),
    query: url.searchParams,
    headers: req.headers,
    body,
  };
  const ctx: RouteContext = {
    tenant: state.tenant,
    clock: state.clock,
    baseUrl: state.baseUrl,
    downloadUrl: state.downloadUrl,
  };

  let reply: Reply | undefined;
  if (routeName !== 'auth' && def?.auth !== false) {
    const userToken = /^Bearer\s+(u-\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (userToken) {
      // A user access token: invalid 99991668, expired 99991677 (generic error codes page).
      const check = state.oauth.sessions.checkAccess(userToken);
      if (check === 'ok') ctx.identity = 'user';
      else
        reply =
          check === 'expired'
            ? fail(400, 99991677, 'user access token expired')
            : fail(400, 99991668, 'Invalid access token for authorization.');
    } else {
      const tokenState = state.tokens.check(req.headers.authorization);
      if (tokenState !== 'ok') reply = authFailure(tokenState);
    }
  }
  reply ??= hiddenFromApp(fr, ctx);
  reply ??=
    state.limits.checkMonthly(routeName) ??
    state.limits.checkRate(routeName) ??
    state.limits.checkDailyCap(routeName);
  const fault = reply ? undefined : state.faults.take(fr);
  if (fault?.kind === 'malformed-json') {
    record.status = 200;
    record.bytesSent = await sendMalformedJson(res, state.clock);
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
      reply = routeName === 'auth' ? tokenRoute(fr, ctx, state.tokens) : def!.handle(fr, ctx);
    } catch (e) {
      if (!(e instanceof ContractError)) throw e;
      return reject(e.message, fail(400, VALIDATION_CODE, `field validation failed: ${e.message}`));
    }
  }
  const bf = bodyFaultOf(fault);
  if (reply.kind === 'json') {
    record.status = reply.status;
    record.bytesSent = await sendJson(res, reply, state.clock, bf);
    return;
  }
  const range = fault?.kind === 'ignore-range' ? undefined : req.headers.range;
  const sent = await sendBlob(res, reply, range, state.clock, bf);
  record.status = sent.status;
  record.bytesSent = sent.bytes;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}
