/**
 * Builds the frozen `Config`: defaults < config file (YAML or JSON, by extension) < environment <
 * command-line flags. Every rejected value fails with a `ConfigError` naming the exact key, which
 * the CLI prints before exiting with code 2.
 */
import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { parse as parseYaml } from 'yaml'
import {
  parseGroupType,
  RECEIPT_CAPABLE_TYPES,
  type ReceiptCapableType,
} from '../domain/groups/group-types.js'
import {
  defaultGroupReceiptTypes,
  defaultLimits,
  defaults,
  envVariables,
  MAX_ADMINS,
  MAX_GROUP_RECEIPT_MEMBERS,
  type AppConfig,
  type Config,
  type Durability,
} from './config.js'
import { parseCallback } from './callback.js'
import { bool, checkKeys, ConfigError, int, isObj, str, type Obj } from './checks.js'
import { databaseUrl, maskUrl, postgresSettings, redisUrl } from './store-settings.js'
import { webhooksSettings } from './webhooks-settings.js'

export { ConfigError } from './checks.js'

/** What the command line may set; each is optional and wins over file and environment. */
export interface ConfigFlags {
  config?: string | undefined
  host?: string | undefined
  port?: string | number | undefined
  data?: string | undefined
  memory?: boolean | undefined
  durability?: string | undefined
  logLevel?: string | undefined
  database?: string | undefined
  redis?: string | undefined
}

function durability(v: unknown, at: string): Durability {
  if (v === 'default' || v === 'strict') return v
  throw new ConfigError(`${at}: expected "default" or "strict", got ${JSON.stringify(v)}`)
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
function logLevel(v: unknown, at: string): string {
  if (typeof v === 'string' && LOG_LEVELS.includes(v)) return v
  throw new ConfigError(`${at}: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(v)}`)
}

function userId(v: unknown, at: string): string {
  const s = str(v, at)
  if (Buffer.byteLength(s) > 32) throw new ConfigError(`${at}: a UserID is at most 32 bytes`)
  return s
}

/** A list of group types, as REST (`Private`) or SDK (`Work`) names; only receipt-capable ones. */
function groupReceiptTypes(v: unknown, at: string): ReceiptCapableType[] {
  const allowed = `${RECEIPT_CAPABLE_TYPES.join(', ')} (or Work, Meeting)`
  if (!Array.isArray(v)) throw new ConfigError(`${at}: expected a list of group types from ${allowed}`)
  const out = new Set<ReceiptCapableType>()
  v.forEach((name, i) => {
    const type = typeof name === 'string' ? parseGroupType(name) : undefined
    if (type === undefined || !(RECEIPT_CAPABLE_TYPES as readonly string[]).includes(type)) {
      throw new ConfigError(
        `${at}[${i}]: ${JSON.stringify(name)} cannot have read receipts; expected one of ${allowed}`,
      )
    }
    out.add(type as ReceiptCapableType)
  })
  return [...out]
}

function parseApp(raw: unknown, at: string): AppConfig {
  if (!isObj(raw)) throw new ConfigError(`${at}: expected an object with sdkAppId and secretKey`)
  checkKeys(raw, at, [
    'sdkAppId',
    'secretKey',
    'admins',
    'callback',
    'limits',
    'groupReceiptTypes',
    'testSupport',
  ])
  const admins = raw.admins === undefined ? ['administrator'] : raw.admins
  if (!Array.isArray(admins) || admins.length === 0 || admins.length > MAX_ADMINS) {
    throw new ConfigError(`${at}.admins: expected a list of 1 to ${MAX_ADMINS} UserIDs`)
  }
  const callback =
    raw.callback === undefined || raw.callback === null
      ? undefined
      : parseCallback(raw.callback, `${at}.callback`)
  const limits = { ...defaultLimits }
  if (raw.limits !== undefined) {
    if (!isObj(raw.limits)) throw new ConfigError(`${at}.limits: expected an object`)
    checkKeys(raw.limits, `${at}.limits`, ['ratePerSecond', 'groupReceiptMaxMembers', 'maxAccounts'])
    if (raw.limits.ratePerSecond !== undefined) {
      limits.ratePerSecond = int(raw.limits.ratePerSecond, `${at}.limits.ratePerSecond`, 0, 1_000_000)
    }
    if (raw.limits.groupReceiptMaxMembers !== undefined) {
      limits.groupReceiptMaxMembers = int(
        raw.limits.groupReceiptMaxMembers,
        `${at}.limits.groupReceiptMaxMembers`,
        1,
        MAX_GROUP_RECEIPT_MEMBERS,
      )
    }
    if (raw.limits.maxAccounts !== undefined) {
      limits.maxAccounts = int(raw.limits.maxAccounts, `${at}.limits.maxAccounts`, 0, Number.MAX_SAFE_INTEGER)
    }
  }
  return {
    sdkAppId: int(raw.sdkAppId, `${at}.sdkAppId`, 1, 0xffffffff),
    secretKey: str(raw.secretKey, `${at}.secretKey`),
    admins: admins.map((a, i) => userId(a, `${at}.admins[${i}]`)),
    callback,
    limits,
    groupReceiptTypes:
      raw.groupReceiptTypes === undefined
        ? [...defaultGroupReceiptTypes]
        : groupReceiptTypes(raw.groupReceiptTypes, `${at}.groupReceiptTypes`),
    testSupport: testSupport(raw.testSupport, `${at}.testSupport`),
  }
}

function testSupport(v: unknown, at: string): boolean {
  if (v === undefined) return false
  if (typeof v !== 'boolean') throw new ConfigError(`${at}: expected true or false`)
  return v
}

function readFile(path: string): Obj {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new ConfigError(`${path}: cannot read the config file (${(e as Error).message})`)
  }
  let parsed: unknown
  try {
    parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (e) {
    throw new ConfigError(
      `${path}: not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
    )
  }
  if (parsed === null || parsed === undefined) return {}
  if (!isObj(parsed)) throw new ConfigError(`${path}: the top level must be a mapping`)
  return parsed
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}

/** Reads environment variables through the one table in config.ts: key → [value, variable name]. */
function fromEnv(env: NodeJS.ProcessEnv): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {}
  for (const [name, key] of Object.entries(envVariables)) {
    const v = env[name]
    if (v !== undefined && v !== '') out[key] = [v, name]
  }
  return out
}

export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const e = fromEnv(env)
  const configFile = flags.config ?? e.configFile?.[0]
  const file = configFile === undefined ? {} : readFile(configFile)
  const at = (key: string) => (configFile ? `${configFile}: ${key}` : key)
  checkKeys(file, '', ['server', 'store', 'redis', 'webhooks', 'log', 'apps'])
  const fServer = isObj(file.server) ? file.server : {}
  const fStore = isObj(file.store) ? file.store : {}
  const fLog = isObj(file.log) ? file.log : {}
  const fRedis = isObj(file.redis) ? file.redis : {}
  if (file.redis !== undefined && !isObj(file.redis)) throw new ConfigError(at('redis: expected a mapping'))
  checkKeys(fRedis, 'redis', ['url'])
  if (file.server !== undefined && !isObj(file.server))
    throw new ConfigError(at('server: expected a mapping'))
  if (file.store !== undefined && !isObj(file.store)) throw new ConfigError(at('store: expected a mapping'))
  checkKeys(fServer, 'server', Object.keys(defaults.server))
  checkKeys(fStore, 'store', Object.keys(defaults.store))
  checkKeys(fLog, 'log', ['level'])

  // The first defined source wins: flag, then environment, then file, then default.
  const pick = (
    flag: unknown,
    envKey: string,
    fileValue: unknown,
    fallback: unknown,
    flagName = `--${envKey.split('.').pop()}`,
  ): [unknown, string] => {
    if (flag !== undefined) return [flag, flagName]
    const fromEnvironment = e[envKey]
    if (fromEnvironment !== undefined) return fromEnvironment
    if (fileValue !== undefined) return [fileValue, at(envKey)]
    return [fallback, envKey]
  }

  const [host, hostAt] = pick(flags.host, 'server.host', fServer.host, defaults.server.host)
  const [port, portAt] = pick(flags.port, 'server.port', fServer.port, defaults.server.port)
  const [bodyLimit, bodyAt] = pick(
    undefined,
    'server.bodyLimitBytes',
    fServer.bodyLimitBytes,
    defaults.server.bodyLimitBytes,
  )
  const [reqTimeout, reqAt] = pick(
    undefined,
    'server.requestTimeoutMs',
    fServer.requestTimeoutMs,
    defaults.server.requestTimeoutMs,
  )
  const [kaTimeout, kaAt] = pick(
    undefined,
    'server.keepAliveTimeoutMs',
    fServer.keepAliveTimeoutMs,
    defaults.server.keepAliveTimeoutMs,
  )
  const [dataDir, dataAt] = pick(flags.data, 'store.dataDir', fStore.dataDir, defaults.store.dataDir)
  const [memory, memAt] = pick(
    flags.memory || undefined,
    'store.memory',
    fStore.memory,
    defaults.store.memory,
  )
  const [dur, durAt] = pick(
    flags.durability,
    'store.durability',
    fStore.durability,
    defaults.store.durability,
  )
  const [dbUrl, dbAt] = pick(flags.database, 'store.databaseUrl', fStore.databaseUrl, undefined, '--database')
  const [rUrl, rAt] = pick(flags.redis, 'redis.url', fRedis.url, undefined, '--redis')
  const [level, levelAt] = pick(flags.logLevel, 'log.level', fLog.level, defaults.log.level)

  let apps: AppConfig[] = []
  if (file.apps !== undefined) {
    if (!Array.isArray(file.apps)) throw new ConfigError(at('apps: expected a list of apps'))
    apps = file.apps.map((a, i) => parseApp(a, at(`apps[${i}]`)))
    const seen = new Set<number>()
    for (const [i, app] of apps.entries()) {
      if (seen.has(app.sdkAppId))
        throw new ConfigError(at(`apps[${i}].sdkAppId: ${app.sdkAppId} is listed twice`))
      seen.add(app.sdkAppId)
    }
  }

  const config: Config = {
    server: {
      host: str(host, hostAt),
      port: int(port, portAt, 0, 65535),
      bodyLimitBytes: int(bodyLimit, bodyAt, 1024, 64 * 1024 * 1024),
      requestTimeoutMs: int(reqTimeout, reqAt, 100, 600_000),
      keepAliveTimeoutMs: int(kaTimeout, kaAt, 100, 600_000),
    },
    store: {
      dataDir: str(dataDir, dataAt),
      memory: bool(memory, memAt),
      durability: durability(dur, durAt),
      databaseUrl: dbUrl === undefined ? undefined : databaseUrl(dbUrl, dbAt),
      postgres: postgresSettings(fStore.postgres, at('store.postgres'), defaults.store.postgres),
    },
    redis: { url: rUrl === undefined ? undefined : redisUrl(rUrl, rAt) },
    webhooks: webhooksSettings(file.webhooks, at('webhooks'), defaults.webhooks, apps),
    log: { level: logLevel(level, levelAt) },
    apps,
    configFile,
  }
  return deepFreeze(config)
}

/** The config as `receiptd config print` shows it: secrets masked. */
export function printableConfig(config: Config): unknown {
  const mask = (s: string | undefined) =>
    s === undefined ? undefined : `${s.slice(0, 2)}…(${s.length} chars)`
  return {
    ...config,
    store: { ...config.store, databaseUrl: maskUrl(config.store.databaseUrl) },
    redis: { url: maskUrl(config.redis.url) },
    apps: config.apps.map((a) => ({
      ...a,
      secretKey: mask(a.secretKey),
      callback: a.callback && { ...a.callback, token: mask(a.callback.token) },
    })),
  }
}
