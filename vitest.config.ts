import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // The fake Open API and the CLI run on loopback; keep any proxy out of the way.
    env: { NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Builds dist/ (incrementally, only when sources changed) for the CLI tests that run the bin.
    globalSetup: ['test/cli/global-setup.ts'],
    // Closes, and checks, every fake Feishu a test left open.
    setupFiles: ['test/fake-feishu/close-after-each.ts'],
  },
});
