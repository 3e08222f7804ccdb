import { describe, expect, it } from 'vitest';
import {
  classify,
  FeishuError,
  fromSdkError,
  parseResetHeader,
  parseRetryAfter,
} from '../../src/feishu/errors.js';

describe('classify', () => {
  it.each([
    [429, 99991400, 'rate_limited'],
    [400, 99991400, 'rate_limited'], // the docx APIs answer rate limits with HTTP 400
    [200, 99991663, 'auth'],
    [401, undefined, 'auth'],
    [200, 99991672, 'credentials'],
    [200, 1061045, 'rate_limited'], // 5 QPS or the day's cap: retry later (the downloader decides when the day is spent)
    [200, 99991403, 'quota'],
    [500, 1061001, 'temporary'],
    [502, undefined, 'temporary'],
    [403, 1061004, 'permission'],
    [200, 131006, 'permission'],
    [404, 1061007, 'not_found'],
    [400, 1061002, 'bad_request'],
    [400, undefined, 'bad_request'],
  ] as const)('HTTP %s with code %s is %s', (status, code, kind) => {
    expect(classify(status, code).kind).toBe(kind);
  });

  it('takes the wait from x-ogw-ratelimit-reset', () => {
    expect(classify(429, 99991400, { 'x-ogw-ratelimit-reset': '52' }).retryAfterMs).toBe(52_000);
    expect(parseResetHeader('soon')).toBeUndefined();
  });

  it('falls back to a standard Retry-After (seconds or HTTP-date) when Feishu sent no reset header', () => {
    expect(classify(429, undefined, { 'retry-after': '7' }).retryAfterMs).toBe(7_000);
    expect(classify(429, undefined, { 'x-ogw-ratelimit-reset': '2', 'retry-after': '7' }).retryAfterMs).toBe(
      2_000,
    );
    const now = Date.parse('2026-11-26T02:00:00Z');
    expect(parseRetryAfter('Thu, 26 Nov 2026 02:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 01:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('later')).toBeUndefined();
    expect(classify(503, undefined, { 'retry-after': '7' }).retryAfterMs).toBeUndefined();
  });

  it('gives permission errors a fix the user can act on', () => {
    expect(classify(403, 1061004).fix).toMatch(/collaborator/);
  });
});

describe('fromSdkError', () => {
  it('reads the Feishu envelope out of an axios error response', () => {
    const e = fromSdkError('GET /x', {
      isAxiosError: true,
      response: {
        status: 400,
        data: { code: 99991400, msg: 'frequency limit' },
        headers: { 'x-ogw-ratelimit-reset': '3' },
      },
    });
    expect(e).toBeInstanceOf(FeishuError);
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterMs).toBe(3000);
    expect(e.message).toBe('GET /x failed: HTTP 400, code 99991400, frequency limit');
    expect(e.code).toBe('FEISHU_RATE_LIMITED');
  });

  it('treats a connection reset as temporary and a programming error as protocol', () => {
    expect(
      fromSdkError('GET /x', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).kind,
    ).toBe('temporary');
    expect(fromSdkError('GET /x', new TypeError('x is undefined')).kind).toBe('protocol');
  });
});
