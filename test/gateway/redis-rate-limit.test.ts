/**
 * Rate limits shared through Redis: two instances given one Redis draw from one bucket per app ×
 * command (spec §1.4, 60007 past it); when Redis does not answer, calls are let through.
 */
import pino from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultLimits } from '../../src/config/config.js'
import { RedisRateLimiter } from '../../src/gateway/redis-rate-limit.js'
import { startTestServer, testApp, testConfig, type TestServer } from '../helpers/server.js'

const redisUrl = process.env.RECEIPTD_TEST_REDIS_URL || undefined

describe.skipIf(redisUrl === undefined)('with Redis (RECEIPTD_TEST_REDIS_URL)', () => {
  const servers: TestServer[] = []
  afterAll(() => Promise.all(servers.map((s) => s.close())))

  it('gives all instances one bucket per app and command', async () => {
    // A fresh app id, so no bucket of an earlier run is met.
    const sdkAppId = 1_500_000_000 + Math.floor(Math.random() * 1_000_000)
    const app = testApp({ sdkAppId, limits: { ...defaultLimits, ratePerSecond: 5 } })
    for (let i = 0; i < 2; i++) {
      servers.push(await startTestServer({ ...testConfig([app]), redis: { url: redisUrl } }))
    }
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        servers[i % 2]!.call(
          'im_open_login_svc/account_check',
          { CheckItem: [{ UserID: 'x' }] },
          { sdkAppId },
        ),
      ),
    )
    const ok = answers.filter((a) => a.ErrorCode === 0).length
    // 5 in the bucket, plus what refills while the burst runs; per-instance buckets would allow 10.
    expect(ok).toBeGreaterThanOrEqual(5)
    expect(ok).toBeLessThanOrEqual(7)
    expect(answers.filter((a) => a.ErrorCode === 60007)).toHaveLength(20 - ok)
    // Another command has its own bucket.
    const other = await servers[1]!.call(
      'im_open_login_svc/multiaccount_import',
      { Accounts: ['y'] },
      { sdkAppId },
    )
    expect(other.ErrorCode).toBe(0)
  })
})

describe('RedisRateLimiter', () => {
  it('lets calls through and warns when Redis does not answer', async () => {
    const warnings: string[] = []
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) })
    const limiter = new RedisRateLimiter({ url: 'redis://127.0.0.1:1', logger })
    expect(await limiter.take('1/openim/sendmsg', 1)).toBe(true)
    expect(await limiter.take('1/openim/sendmsg', 1)).toBe(true)
    await limiter.close()
    expect(warnings.join('')).toMatch(/Redis rate limiter unavailable/)
  })
})
