// Tests that start real database servers (PostgreSQL, a two-shard ClickHouse): `npm run test:sql`, not `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/sql/servers/**/*.test.ts', 'test/sql/**/*{postgres,clickhouse}*.test.ts'],
    testTimeout: 120000,
    hookTimeout: 120000,
    pool: 'forks',
  },
});
