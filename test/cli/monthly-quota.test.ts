import { describe, expect, it } from 'vitest';
import { CRAWL_BUCKETS } from '../../src/feishu/buckets.js';
import { runCli, startTenant, tempDir, writeConfig } from './helpers.js';

/** Requests the monthly quota counts (every Open API call but the token). */
function metered(fake: Awaited<ReturnType<typeof startTenant>>, from = 0): number {
  return fake.requests.slice(from).filter((r) => r.route !== 'auth' && r.route !== 'media.tmp_download')
    .length;
}

describe("the free plan's monthly API quota", () => {
  it('backup stops cleanly at 99991403 (exit 4, the fix), and status shows the API calls of each run', async () => {
    const fake = await startTenant();
    const dir = tempDir();
    const config = writeConfig(dir, fake);

    const first = await runCli(['backup', '--config', config]);
    expect([0, 3], first.stderr).toContain(first.code);
    // Crawl: the listing and content APIs; download: every other metered call (downloads, and
    // members/auth after a refused one).
    const crawlCalls = fake.requests.filter((r) =>
      (CRAWL_BUCKETS as readonly string[]).includes(r.route!),
    ).length;
    const downloadCalls = metered(fake) - crawlCalls;
    expect(downloadCalls).toBeGreaterThanOrEqual(fake.requestsTo('media.download').length);

    const before = fake.requests.length;
    fake.setMonthlyQuota(3);
    const spent = await runCli(['backup', '--config', config]);
    expect(spent.code, spent.stderr).toBe(4);
    expect(spent.stdout).toMatch(/monthly API call quota is spent \(code 99991403\)/);
    expect(spent.stdout).toMatch(/upgrade\s+the\s+Feishu\s+plan/);
    expect(spent.stdout).toMatch(/Result\s+the tenant's monthly API calls are spent/);
    const second = metered(fake, before);

    const status = await runCli(['status', '--config', config]);
    expect(status.code).toBe(0);
    // Newest first: the spent run, then the first one, each with its own count.
    if (process.env.SHOW_OUTPUT) console.log(spent.stdout, status.stdout);
    const lines = status.stdout.split('\n').filter((l) => /^\s+#\d/.test(l));
    expect(lines[0]).toMatch(new RegExp(`backup .* quota\\s+exit 4\\s+API calls: crawl ${second}$`));
    expect(lines[1]).toMatch(new RegExp(`API calls: crawl ${crawlCalls}, download ${downloadCalls}$`));
  });
});
