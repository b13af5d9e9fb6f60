import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, printableConfig } from './load.js'

const dir = mkdtempSync(join(tmpdir(), 'receiptd-config-'))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

const APP_YAML = `
apps:
  - sdkAppId: 1400000000
    secretKey: "k1"
    admins: [administrator, ops]
    callback: { url: "http://127.0.0.1:9099/hook", token: "t" }
    limits: { ratePerSecond: 200, groupReceiptMaxMembers: 5000 }
`

describe('loadConfig', () => {
  it('uses the defaults with nothing given', () => {
    const c = loadConfig({}, {})
    expect(c.server).toMatchObject({ host: '127.0.0.1', port: 8080, bodyLimitBytes: 1048576 })
    expect(c.store).toEqual({
      dataDir: './data',
      memory: false,
      durability: 'default',
      databaseUrl: undefined,
      postgres: {
        schema: 'public',
        poolMax: 10,
        acquireTimeoutMs: 5000,
        statementTimeoutMs: 5000,
        idleTimeoutMs: 30000,
      },
    })
    expect(c.redis).toEqual({ url: undefined })
    expect(c.webhooks).toEqual({ leaseMs: 60000, pollIntervalMs: 1000, retentionHours: 72 })
    expect(c.apps).toEqual([])
    expect(Object.isFrozen(c.server)).toBe(true)
  })

  it('reads apps from YAML and JSON by extension', () => {
    const y = loadConfig({ config: file('a.yaml', APP_YAML) }, {})
    expect(y.apps[0]).toMatchObject({
      sdkAppId: 1400000000,
      admins: ['administrator', 'ops'],
      callback: { url: 'http://127.0.0.1:9099/hook', token: 't' },
      limits: { ratePerSecond: 200, groupReceiptMaxMembers: 5000, maxAccounts: 0 },
    })
    const j = loadConfig(
      { config: file('a.json', JSON.stringify({ apps: [{ sdkAppId: 1, secretKey: 's' }] })) },
      {},
    )
    expect(j.apps[0]).toMatchObject({ sdkAppId: 1, admins: ['administrator'] })
  })

  it('lets flags win over the environment, and the environment over the file', () => {
    const path = file('s.yaml', 'server: { port: 1111, host: 0.0.0.0 }\n')
    expect(loadConfig({ config: path }, {}).server.port).toBe(1111)
    expect(loadConfig({ config: path }, { RECEIPTD_PORT: '2222' }).server.port).toBe(2222)
    expect(loadConfig({ config: path, port: '3333' }, { RECEIPTD_PORT: '2222' }).server.port).toBe(3333)
    expect(loadConfig({}, { RECEIPTD_CONFIG: path }).server.host).toBe('0.0.0.0')
    expect(loadConfig({ memory: true }, {}).store.memory).toBe(true)
  })

  it.each([
    ['apps:\n  - secretKey: k\n', /apps\[0\]\.sdkAppId/],
    ['apps:\n  - sdkAppId: 1\n', /apps\[0\]\.secretKey/],
    ['apps:\n  - { sdkAppId: 1, secretKey: k, admins: [] }\n', /apps\[0\]\.admins/],
    [
      'apps:\n  - { sdkAppId: 1, secretKey: k, limits: { ratePerSecond: -1 } }\n',
      /apps\[0\]\.limits\.ratePerSecond/,
    ],
    [
      'apps:\n  - { sdkAppId: 1, secretKey: k, limits: { groupReceiptMaxMembers: 100001 } }\n',
      /groupReceiptMaxMembers/,
    ],
    ['apps:\n  - { sdkAppId: 1, secretKey: k, callback: { url: "ftp://x" } }\n', /apps\[0\]\.callback\.url/],
    ['apps:\n  - { sdkAppId: 1, secretKey: k, colour: red }\n', /apps\[0\]\.colour: unknown setting/],
    [
      'apps:\n  - { sdkAppId: 1, secretKey: a }\n  - { sdkAppId: 1, secretKey: b }\n',
      /apps\[1\]\.sdkAppId: 1 is listed twice/,
    ],
    ['server: { port: 70000 }\n', /server\.port/],
    ['store: { durability: sometimes }\n', /store\.durability/],
    ['log: { level: loud }\n', /log\.level/],
    ['store: { databaseUrl: "mysql://x" }\n', /store\.databaseUrl: expected a postgres:\/\//],
    ['store: { postgres: { poolMax: 0 } }\n', /store\.postgres\.poolMax/],
    ['store: { postgres: { connectionTimeoutMs: 5 } }\n', /store\.postgres\.connectionTimeoutMs/],
    ['store: { postgres: { acquireTimeoutMs: 5 } }\n', /store\.postgres\.acquireTimeoutMs/],
    ['store: { postgres: { statementTimeoutMs: 50 } }\n', /store\.postgres\.statementTimeoutMs/],
    ['store: { postgres: { idleTimeoutMs: -1 } }\n', /store\.postgres\.idleTimeoutMs/],
    ['store: { postgres: { schema: "a b" } }\n', /store\.postgres\.schema: expected a plain identifier/],
    ['store: { postgres: { poolSize: 3 } }\n', /store\.postgres\.poolSize: unknown setting/],
    ['redis: { url: "http://x" }\n', /redis\.url: expected a redis:\/\//],
    ['webhooks: { leaseMs: 50 }\n', /webhooks\.leaseMs: expected a whole number from 100/],
    ['webhooks: { pollIntervalMs: 0 }\n', /webhooks\.pollIntervalMs/],
    ['webhooks: { lease: 5 }\n', /webhooks\.lease: unknown setting/],
    [
      'webhooks: { retentionHours: -1 }\n',
      /webhooks\.retentionHours: expected a whole number from 0 to 87600/,
    ],
    ['webhooks: { retentionHours: 1.5 }\n', /webhooks\.retentionHours/],
    [
      'webhooks: { leaseMs: 3000 }\napps:\n  - { sdkAppId: 1, secretKey: k, callback: { url: "http://x", afterEventTimeoutMs: 2000 } }\n',
      /webhooks\.leaseMs: 3000 is too short for apps\[0\]\.callback\.afterEventTimeoutMs 2000/,
    ],
    ['nonsense: 1\n', /nonsense: unknown setting/],
    ['apps: [\n', /not valid YAML/],
  ])('names the bad field: %j', (text, message) => {
    expect(() => loadConfig({ config: file('bad.yaml', text) }, {})).toThrow(message)
  })

  it('takes the dispatcher lease, poll interval and log retention from the file', () => {
    const text = 'webhooks: { leaseMs: 4000, pollIntervalMs: 200, retentionHours: 0 }\n'
    const c = loadConfig({ config: file('w.yaml', text) }, {})
    expect(c.webhooks).toEqual({ leaseMs: 4000, pollIntervalMs: 200, retentionHours: 0 })
  })

  it('names the environment variable or flag that is wrong', () => {
    expect(() => loadConfig({}, { RECEIPTD_PORT: 'eighty' })).toThrow(/RECEIPTD_PORT/)
    expect(() => loadConfig({ port: 'x' }, {})).toThrow(/--port/)
  })

  it('takes the database and Redis URLs from flags, RECEIPTD_ variables, DATABASE_URL or the file', () => {
    const path = file('db.yaml', 'store: { databaseUrl: "postgres://file/db", postgres: { poolMax: 3 } }\n')
    expect(loadConfig({ config: path }, {}).store).toMatchObject({
      databaseUrl: 'postgres://file/db',
      postgres: { schema: 'public', poolMax: 3 },
    })
    const older = file(
      'older.yaml',
      'store: { postgres: { connectionTimeoutMs: 700, statementTimeoutMs: 900 } }\n',
    )
    expect(loadConfig({ config: older }, {}).store.postgres).toMatchObject({
      acquireTimeoutMs: 700,
      statementTimeoutMs: 900,
    })
    expect(loadConfig({}, { DATABASE_URL: 'postgres://common/db' }).store.databaseUrl).toBe(
      'postgres://common/db',
    )
    const both = { DATABASE_URL: 'postgres://common/db', RECEIPTD_DATABASE_URL: 'postgres://own/db' }
    expect(loadConfig({}, both).store.databaseUrl).toBe('postgres://own/db')
    expect(loadConfig({ database: 'postgres://flag/db' }, both).store.databaseUrl).toBe('postgres://flag/db')
    expect(loadConfig({}, { RECEIPTD_REDIS_URL: 'redis://r:6379' }).redis.url).toBe('redis://r:6379')
    expect(() => loadConfig({ redis: 'nope' }, {})).toThrow(/--redis/)
    expect(() => loadConfig({}, { DATABASE_URL: 'nope' })).toThrow(/DATABASE_URL/)
  })

  it('masks the database password when printed', () => {
    const c = loadConfig({ database: 'postgres://me:hunter2@db:5432/x' }, {})
    expect(JSON.stringify(printableConfig(c))).not.toContain('hunter2')
    expect(JSON.stringify(printableConfig(c))).toContain('postgres://me:***@db:5432/x')
  })

  it('says when the file cannot be read', () => {
    expect(() => loadConfig({ config: join(dir, 'missing.yaml') }, {})).toThrow(ConfigError)
  })

  it('masks secrets when printed', () => {
    const printed = JSON.stringify(printableConfig(loadConfig({ config: file('p.yaml', APP_YAML) }, {})))
    expect(printed).not.toContain('"k1"')
    expect(printed).not.toContain('"t"')
  })
})
