import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/cli/errors.js';
import { ERROR_CODES } from '../../src/feishu/error-codes.js';
import { classify, FeishuError } from '../../src/feishu/errors.js';

/**
 * What each code must mean, written from the official pages (the link is in error-codes.ts beside
 * each row): kind, and whether a call is retried. Kept apart from the table on purpose.
 */
/** `retried`: auth codes are retried once, after a token refresh. */
const EXPECTED: [code: number, kind: string, retried: boolean][] = [
  [99991400, 'rate_limited', true],
  [99991401, 'credentials', false],
  [99991403, 'quota', false],
  [99991661, 'auth', true],
  [99991663, 'auth', true],
  [99991665, 'auth', true],
  [99991668, 'auth', true],
  [99991677, 'auth', true],
  [99991664, 'credentials', false],
  [99991672, 'credentials', false],
  [99991679, 'credentials', false],
  [99991543, 'credentials', false],
  [10003, 'credentials', false],
  [10012, 'credentials', false],
  [10013, 'credentials', false],
  [10014, 'credentials', false],
  [10015, 'credentials', false],
  [20026, 'credentials', false],
  [20037, 'credentials', false],
  [20064, 'credentials', false],
  [20073, 'credentials', false],
  [90217, 'rate_limited', true],
  [90235, 'temporary', true],
  [90242, 'temporary', true],
  [90221, 'bad_request', false],
  [1310213, 'permission', false],
  [1310214, 'not_found', false],
  [1310249, 'not_found', false],
  [1254001, 'bad_request', false],
  [1254002, 'temporary', true],
  [1254004, 'not_found', false],
  [1254030, 'bad_request', false],
  [1254036, 'temporary', true],
  [1254290, 'rate_limited', true],
  [1254302, 'permission', false],
  [1254303, 'permission', false],
  [1254607, 'temporary', true],
  [1255001, 'temporary', true],
  [1255002, 'temporary', true],
  [1255003, 'temporary', true],
  [1255004, 'temporary', true],
  [1255005, 'temporary', true],
  [1255040, 'temporary', true],
  [131001, 'temporary', true],
  [131005, 'not_found', false],
  [131006, 'permission', false],
  // The page: "服务内部错误，请勿重试" (internal, do not retry): the next run reads it again.
  [131007, 'temporary', false],
  [1061001, 'temporary', true],
  [1061002, 'bad_request', false],
  [1061003, 'not_found', false],
  [1061004, 'permission', false],
  [1061007, 'not_found', false],
  [1061045, 'rate_limited', true],
  [1061073, 'credentials', false],
  [1770002, 'not_found', false],
  [1770032, 'permission', false],
  [2890003, 'not_found', false],
  [91402, 'not_found', false],
  [91403, 'permission', false],
];

describe('the error-code table', () => {
  it('has a test row for every code it knows, and no other', () => {
    expect(ERROR_CODES.map((r) => r.code).sort()).toEqual(EXPECTED.map(([c]) => c).sort());
  });

  it('links every row to an official page', () => {
    for (const row of ERROR_CODES) expect(row.doc).toMatch(/^https:\/\/open\.feishu\.cn\/document\//);
  });

  it.each(EXPECTED)('code %s is %s (retried: %s), whatever the HTTP status', (code, kind, retried) => {
    for (const status of [200, 400, 403, 404, 429, 500, 503]) {
      const e = new FeishuError('GET /open-apis/x', { httpStatus: status, feishuCode: code });
      expect({ status, kind: e.kind }).toEqual({ status, kind });
      expect({ status, retried: e.retryable }).toEqual({ status, retried });
      expect(classify(status, code).kind).toBe(kind);
    }
  });

  it.each(EXPECTED.filter(([, kind]) => kind === 'credentials'))(
    'code %s ends a run with exit 2 and a fix',
    (code) => {
      for (const status of [200, 400, 500]) {
        const f = describeFailure(
          new FeishuError('POST /open-apis/auth', { httpStatus: status, feishuCode: code }),
        );
        expect(f.exitCode).toBe(2);
        // The app's credentials, or (a signed-in user's codes) logging in again.
        expect(f.fix).toMatch(/appId|App ID|App Secret|feishu-backup login/);
      }
    },
  );
});
