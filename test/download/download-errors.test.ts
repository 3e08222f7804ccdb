import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planDownloads } from '../../src/download/plan.js';
import { readQuotaUsage } from '../../src/inventory/quota.js';
import { addBitable } from '../fake-feishu/index.js';
import { type Env, startEnv } from './env.js';
import { insertRef, mediaRow } from './helpers.js';

let env: Env;
afterEach(async () => {
  await env?.close();
});

const idOf = (token: string): number =>
  (env.db.prepare('SELECT id FROM media WHERE file_token = ?').get(token) as { id: number }).id;

describe('downloadAll errors', () => {
  it('records 403, 404 and 400 on the row with a fix, and retries them only when asked', async () => {
    env = await startEnv();
    const forbidden = env.media({ state: 'forbidden' });
    const deleted = env.media({ state: 'deleted' });
    const app = addBitable(env.fake.tenant, { name: 'Base', tables: [{ advancedPerm: true }] });
    const needsExtra = env.media({ permTable: { appToken: app.appToken, tableId: app.tables[0]!.tableId } });
    const ok = env.media();

    const first = await env.run();
    expect(first).toMatchObject({ stopReason: 'complete', downloaded: 1, requests: 4 });
    expect(mediaRow(env.db, forbidden.token)).toMatchObject({ status: 'failed', error_kind: 'permission' });
    expect(mediaRow(env.db, deleted.token)).toMatchObject({ status: 'failed', error_kind: 'not_found' });
    expect(mediaRow(env.db, needsExtra.token)).toMatchObject({ status: 'failed', error_kind: 'bad_request' });
    expect(mediaRow(env.db, needsExtra.token).error_fix).toMatch(/extra/);
    expect(mediaRow(env.db, forbidden.token).error_fix).toMatch(/collaborator/);
    expect(first.failures.map((f) => [f.kind, f.status, f.count]).sort()).toEqual([
      ['bad_request', 'failed', 1],
      ['not_found', 'failed', 1],
      ['permission', 'failed', 1],
    ]);
    expect(mediaRow(env.db, ok.token).status).toBe('done');

    expect(await env.run()).toMatchObject({ requests: 0, left: { files: 0, failedSkipped: 3 } });
    env.fake.tenant.media.get(forbidden.token)!.state = 'ok';
    const retried = await env.run({ retryFailed: true });
    expect(retried).toMatchObject({ requests: 3, downloaded: 1 });
    expect(mediaRow(env.db, forbidden.token).status).toBe('done');
  });

  it('sends the inventory extra for an advanced-permission table', async () => {
    env = await startEnv();
    const app = addBitable(env.fake.tenant, { name: 'Base', tables: [{ advancedPerm: true }] });
    const tableId = app.tables[0]!.tableId;
    const extra = JSON.stringify({ bitablePerm: { tableId, rev: 3 } });
    const m = env.media({ permTable: { appToken: app.appToken, tableId }, extra });
    expect((await env.run()).downloaded).toBe(1);
    expect(env.fake.requestsTo('media.download')[0]!.query.extra).toBe(extra);
    expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
  });

  it("sends an advanced table's extra first once a file showed it is the one needed", async () => {
    env = await startEnv();
    const plain = addBitable(env.fake.tenant, { name: 'Plain', tables: [{}] });
    const guarded = addBitable(env.fake.tenant, { name: 'Guarded', tables: [{ advancedPerm: true }] });
    const tables = [plain, guarded].map((app) => {
      const tableId = app.tables[0]!.tableId;
      return {
        doc: { type: 'bitable_table', token: `${app.appToken}_${tableId}`, title: app.name },
        extra: JSON.stringify({ bitablePerm: { tableId, rev: 1 } }),
      };
    });
    const [plainTable, guardedTable] = tables as [(typeof tables)[0], (typeof tables)[0]];
    const permTable = { appToken: guarded.appToken, tableId: guarded.tables[0]!.tableId };
    // Files in both bases: the rows keep the plain table's extra (the last the crawl saw), which the
    // guarded table's files refuse. Sizes set the order in which they are taken.
    const shared = [1_000, 2_000, 3_000, 4_000].map((size) =>
      env.media({ size, permTable, extra: plainTable.extra }),
    );
    const ordinary = env.media({ size: 5_000, extra: plainTable.extra });
    for (const m of shared) {
      insertRef(env.db, idOf(m.token), guardedTable.doc, guardedTable.extra);
      insertRef(env.db, idOf(m.token), plainTable.doc, plainTable.extra);
    }
    insertRef(env.db, idOf(ordinary.token), plainTable.doc, plainTable.extra);

    const limits = { qps: 50, perDay: 10_000, concurrency: 1, dayBoundaryTimeZone: 'Asia/Shanghai' };
    const summary = await env.run({ limits });
    expect(summary).toMatchObject({ stopReason: 'complete', downloaded: 5 });
    // One refused call teaches the run which table guards its files: not one per shared file.
    const reqs = env.fake.requestsTo('media.download');
    expect(reqs.map((r) => [r.status, r.query.extra])).toEqual([
      [403, plainTable.extra],
      [200, guardedTable.extra],
      [200, guardedTable.extra],
      [200, guardedTable.extra],
      [200, guardedTable.extra],
      [200, plainTable.extra],
    ]);
    for (const m of [...shared, ordinary]) expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));

    // The next run remembers it (the inventory keeps it): a new shared file costs no refused call.
    const later = env.media({ size: 6_000, permTable, extra: plainTable.extra });
    insertRef(env.db, idOf(later.token), guardedTable.doc, guardedTable.extra);
    insertRef(env.db, idOf(later.token), plainTable.doc, plainTable.extra);
    expect(await env.run({ limits })).toMatchObject({ downloaded: 1, requests: 1 });
    expect(
      env.fake
        .requestsTo('media.download')
        .slice(reqs.length)
        .map((r) => [r.status, r.query.extra]),
    ).toEqual([[200, guardedTable.extra]]);
    expect(env.fileOf(later.token)).toEqual(env.bytesOf(later));
  });

  it('refreshes an invalidated token once and carries on', async () => {
    env = await startEnv();
    env.media();
    await env.client.token();
    env.fake.invalidateTokens();
    const m = env.media();
    expect(
      (await env.run({ limits: { qps: 5, perDay: 100, concurrency: 1, dayBoundaryTimeZone: 'UTC' } }))
        .downloaded,
    ).toBe(2);
    expect(env.fake.requestsTo('auth')).toHaveLength(2);
    expect(env.fake.requestsTo('media.download').map((r) => r.status)).toEqual([400, 200, 200]);
    expect(env.fileOf(m.token)).toEqual(env.bytesOf(m));
  });

  it('waits out a rate-limit answer for the time the server asks, then succeeds', async () => {
    env = await startEnv();
    env.media();
    env.fake.faults.inject({ route: 'media.download', fault: { kind: 'rate-limit', resetSeconds: 7 } });
    const start = env.clock.now();
    const summary = await env.run();
    expect(summary).toMatchObject({ downloaded: 1, requests: 2 });
    expect(env.clock.now() - start).toBeGreaterThanOrEqual(7_000);
  });

  it('gives up on a file after a bounded number of 5xx, and tries it again next run', async () => {
    env = await startEnv();
    const m = env.media();
    env.fake.faults.inject({ route: 'media.download', times: 6, fault: { kind: 'error', status: 500 } });
    const first = await env.run({ maxRetries: 2 });
    expect(first).toMatchObject({ downloaded: 0, requests: 3 });
    expect(mediaRow(env.db, m.token)).toMatchObject({ status: 'error', error_kind: 'temporary' });
    expect(first.failures).toMatchObject([{ kind: 'temporary', status: 'error', count: 1 }]);
    const second = await env.run({ maxRetries: 2 });
    expect(second.requests).toBe(3);
    const third = await env.run({ maxRetries: 2 });
    expect(third).toMatchObject({ downloaded: 1, requests: 1 });
  });

  it('stops at the daily cap, keeps the count across runs, and continues the next day', async () => {
    env = await startEnv();
    for (let i = 0; i < 5; i++) env.media({ size: 100 });
    const limits = { qps: 50, perDay: 3, concurrency: 2, dayBoundaryTimeZone: 'Asia/Shanghai' };
    const first = await env.run({ limits });
    expect(first).toMatchObject({ stopReason: 'quota', downloaded: 3, requests: 3, left: { files: 2 } });
    expect(first.quota).toMatchObject({ used: 3, limit: 3, remaining: 0 });
    const again = await env.run({ limits });
    expect(again).toMatchObject({ stopReason: 'quota', requests: 0 });
    expect(env.fake.requestsTo('media.download')).toHaveLength(3);
    // 2026-01-01T02:00Z is 10:00 in Shanghai; its midnight is 16:00Z.
    await env.clock.setTime(Date.UTC(2026, 0, 1, 16, 0, 1));
    const nextDay = await env.run({ limits });
    expect(nextDay).toMatchObject({ stopReason: 'complete', downloaded: 2, requests: 2 });
    expect(
      readQuotaUsage({ db: env.db, perDay: 3, timeZone: 'Asia/Shanghai', clock: env.clock }),
    ).toMatchObject({
      day: '2026-01-02',
      used: 2,
    });
  });

  it('stops at the run budget and reports what is left', async () => {
    env = await startEnv();
    for (let i = 0; i < 4; i++) env.media({ size: 100 });
    const summary = await env.run({ budget: { maxDownloads: 1 } });
    expect(summary).toMatchObject({
      stopReason: 'budget',
      downloaded: 1,
      left: { files: 3, bytesKnown: 300 },
    });
  });

  it('plans a dry run from the inventory without a single request', async () => {
    env = await startEnv();
    env.media({ size: 100 });
    env.media({ size: 50, sizeKnown: false });
    const summary = await env.run({ dryRun: true });
    expect(summary.left).toMatchObject({ files: 2, bytesKnown: 100, unknownSize: 1 });
    expect(planDownloads(env.db)).toEqual(summary.left);
    expect(env.fake.requests).toHaveLength(0);
  });

  it('stops on a local write failure and marks nothing done that is not on disk', async () => {
    env = await startEnv();
    const m = env.media();
    mkdirSync(env.outputDir, { recursive: true });
    // `media` is a file, so publishing under media/… fails with ENOTDIR.
    writeFileSync(join(env.outputDir, 'media'), 'not a directory');
    const summary = await env.run();
    expect(summary.stopReason).toBe('fatal');
    expect(summary.fatal?.code).toBe('ENOTDIR');
    expect(mediaRow(env.db, m.token).status).not.toBe('done');
    expect(existsSync(join(env.outputDir, '.partial', `${m.token}.part`))).toBe(true);
  });
});
