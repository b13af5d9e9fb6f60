import { defineConfig } from 'vitest/config'

/**
 * Two projects: `sqlite` runs everything on the embedded store; `postgres` runs the black-box HTTP
 * suites, the store contracts, webhook delivery and the multi-instance tests on PostgreSQL, when a
 * database is given.
 */
const databaseUrl = process.env.RECEIPTD_TEST_DATABASE_URL
const redisUrl = process.env.RECEIPTD_TEST_REDIS_URL ?? ''

// In CI the PostgreSQL run may not be skipped: half a matrix must not pass as a whole one.
if (!databaseUrl && process.env.CI === 'true') {
  throw new Error(
    'CI=true but RECEIPTD_TEST_DATABASE_URL is not set: CI runs every suite on PostgreSQL too (see .ci/run)',
  )
}

// Vitest evaluates this file more than once per run; the notice is shown once.
const shown = globalThis as { receiptdSkipNotice?: boolean }
if (!databaseUrl && !shown.receiptdSkipNotice) {
  shown.receiptdSkipNotice = true
  process.stderr.write(
    '\n  PostgreSQL run SKIPPED: set RECEIPTD_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)\n' +
      '  to run the API, robustness, store contract, webhook and multi-instance suites on PostgreSQL as well.\n\n',
  )
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/scale/**'],
          env: { RECEIPTD_TEST_STORE: 'sqlite', RECEIPTD_TEST_REDIS_URL: redisUrl },
        },
      },
      ...(databaseUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: [
                  'test/api/**/*.test.ts',
                  'test/robustness/**/*.test.ts',
                  'test/store/**/*.test.ts',
                  'test/webhooks/**/*.test.ts',
                  'test/gateway/own-api.test.ts',
                  'test/gateway/metrics.test.ts',
                  'test/scale/**/*.test.ts',
                ],
                // before-send never touches the store; a restart after kill -9 on one SQLite file
                // has its PostgreSQL counterpart in test/scale (another instance takes over).
                exclude: ['test/webhooks/before-send.test.ts', 'test/webhooks/crash.test.ts'],
                env: {
                  RECEIPTD_TEST_STORE: 'postgres',
                  RECEIPTD_TEST_DATABASE_URL: databaseUrl,
                  RECEIPTD_TEST_REDIS_URL: redisUrl,
                },
              },
            },
          ]
        : []),
    ],
  },
})
