import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/fast-check-seed.ts'],
    // Tests that start PostgreSQL and ClickHouse servers run apart: `npm run test:sql` (vitest.servers.config.ts);
    // the report in Chromium too: `npm run test:browser` (vitest.browser.config.ts).
    exclude: ['**/node_modules/**', 'test/sql/servers/**', 'test/sql/**/*{postgres,clickhouse}*.test.ts', 'test/browser/**'],
    testTimeout: 30000,
    pool: 'forks',
  },
});
