/**
 * Builds the frozen `Config`: defaults < config file (YAML or JSON, by extension) < environment <
 * command-line flags. Every rejected value fails with a `ConfigError` naming the exact key, which
 * the CLI prints before exiting with code 2.
 */
import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { checkUserId } from '../domain/accounts/user-id.js'
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
  type LogFormat,
} from './config.js'
import { parseCallback } from './callback.js'
import { bool, checkKeys, ConfigError, int, isObj, oneOf, str, type Obj } from './checks.js'
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
  logFormat?: string | undefined
  database?: string | undefined
  redis?: string | undefined
  sdkappid?: string | number | undefined
  secretKey?: string | undefined
  /** One or more admins of the development app. */
  admin?: string[] | undefined
}

function durability(v: unknown, at: string): Durability {
  if (v === 'default' || v === 'strict') return v
  throw new ConfigError(`${at}: expected "default" or "strict", got ${JSON.stringify(v)}`)
}

const LOG_FORMATS: readonly LogFormat[] = ['auto', 'json', 'pretty']

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
function logLevel(v: unknown, at: string): string {
  if (typeof v === 'string' && LOG_LEVELS.includes(v)) return v
  throw new ConfigError(`${at}: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(v)}`)
}

function userId(v: unknown, at: string): string {
  const s = str(v, at)
  const check = checkUserId(s)
  if (!check.ok) throw new ConfigError(`${at}: the UserID ${JSON.stringify(s)} ${check.reason}`)
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

const FORMATS: Record<string, 'JSON' | 'YAML'> = { '.json': 'JSON', '.yaml': 'YAML', '.yml': 'YAML' }

function readFile(path: string): Obj {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new ConfigError(`${path}: cannot read the config file (${(e as Error).message})`)
  }
  const format = FORMATS[extname(path).toLowerCase()]
  if (format === undefined) {
    throw new ConfigError(`${path}: unknown config file type "${extname(path)}": use .json, .yaml or .yml`)
  }
  let parsed: unknown
  try {
    parsed = format === 'JSON' ? JSON.parse(text) : parseYaml(text)
  } catch (e) {
    throw new ConfigError(`${path}: not valid ${format}: ${(e as Error).message}`)
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
  return buildConfig(file, configFile, e, flags)
}

/**
 * The config from a parsed file (or an object given in code, as library mode does), environment
 * values and flags. Every message names where the bad value came from: the file and key, the
 * variable, or the flag as typed.
 */
export function buildConfig(
  file: Obj,
  configFile: string | undefined,
  e: Record<string, [string, string]>,
  flags: ConfigFlags,
): Config {
  const at = (key: string) => (configFile ? `${configFile}: ${key}` : key)
  const sections = ['server', 'store', 'redis', 'webhooks', 'log', 'apps']
  for (const key of Object.keys(file)) {
    if (!sections.includes(key)) {
      throw new ConfigError(at(`${key}: unknown setting (expected one of ${sections.join(', ')})`))
    }
  }
  const section = (name: string): Obj => {
    const v = file[name]
    if (v === undefined) return {}
    if (!isObj(v)) throw new ConfigError(at(`${name}: expected a mapping`))
    return v
  }
  const fServer = section('server')
  const fStore = section('store')
  const fLog = section('log')
  const fRedis = section('redis')
  checkKeys(fRedis, at('redis'), ['url'])
  checkKeys(fServer, at('server'), Object.keys(defaults.server))
  checkKeys(fStore, at('store'), Object.keys(defaults.store))
  checkKeys(fLog, at('log'), Object.keys(defaults.log))

  // The first defined source wins: flag, then environment, then file, then default. The second
  // value says where it came from, for messages; `undefined` there means the default.
  const pick = (
    flag: unknown,
    flagName: string,
    envKey: string,
    fileValue: unknown,
    fallback: unknown,
  ): [unknown, string, boolean] => {
    if (flag !== undefined) return [flag, flagName, true]
    const fromEnvironment = e[envKey]
    if (fromEnvironment !== undefined) return [...fromEnvironment, true]
    if (fileValue !== undefined) return [fileValue, at(envKey), true]
    return [fallback, envKey, false]
  }
  const fileOnly = (key: keyof typeof defaults.server) =>
    pick(undefined, '', `server.${key}`, fServer[key], defaults.server[key])

  const [host, hostAt] = pick(flags.host, '--host', 'server.host', fServer.host, defaults.server.host)
  const [port, portAt] = pick(flags.port, '--port', 'server.port', fServer.port, defaults.server.port)
  const [bodyLimit, bodyAt] = fileOnly('bodyLimitBytes')
  const [reqTimeout, reqAt] = fileOnly('requestTimeoutMs')
  const [kaTimeout, kaAt] = fileOnly('keepAliveTimeoutMs')
  const [shutdown, shutdownAt] = fileOnly('shutdownTimeoutMs')
  const [dataDir, dataAt, dataGiven] = pick(
    flags.data,
    '--data',
    'store.dataDir',
    fStore.dataDir,
    defaults.store.dataDir,
  )
  const [memory, memAt] = pick(
    flags.memory || undefined,
    '--memory',
    'store.memory',
    fStore.memory,
    defaults.store.memory,
  )
  const [dur, durAt, durGiven] = pick(
    flags.durability,
    '--durability',
    'store.durability',
    fStore.durability,
    defaults.store.durability,
  )
  const [dbUrl, dbAt] = pick(flags.database, '--database', 'store.databaseUrl', fStore.databaseUrl, undefined)
  const [rUrl, rAt] = pick(flags.redis, '--redis', 'redis.url', fRedis.url, undefined)
  const [level, levelAt] = pick(flags.logLevel, '--log-level', 'log.level', fLog.level, defaults.log.level)
  const [logBuffer, logBufferAt] = pick(
    undefined,
    '',
    'log.bufferBytes',
    fLog.bufferBytes,
    defaults.log.bufferBytes,
  )
  const [format, formatAt] = pick(
    flags.logFormat,
    '--log-format',
    'log.format',
    fLog.format,
    defaults.log.format,
  )

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

  const store = {
    dataDir: str(dataDir, dataAt),
    memory: bool(memory, memAt),
    durability: durability(dur, durAt),
    databaseUrl: dbUrl === undefined ? undefined : databaseUrl(dbUrl, dbAt),
    postgres: postgresSettings(fStore.postgres, at('store.postgres'), defaults.store.postgres),
  }
  // Settings that cannot all hold: said rather than one silently ignored.
  if (store.memory && store.databaseUrl !== undefined) {
    throw new ConfigError(
      `${memAt} and ${dbAt} contradict each other: keep everything in memory, or in PostgreSQL`,
    )
  }
  if (durGiven && store.durability === 'strict' && (store.memory || store.databaseUrl !== undefined)) {
    throw new ConfigError(
      `${durAt} strict applies to the SQLite data folder; it has no effect with ${store.memory ? memAt : dbAt}`,
    )
  }
  if (store.memory && dataGiven) {
    throw new ConfigError(
      `${dataAt} and ${memAt} contradict each other: nothing is kept in a data folder in memory`,
    )
  }

  const config: Config = {
    server: {
      host: str(host, hostAt),
      port: int(port, portAt, 0, 65535),
      bodyLimitBytes: int(bodyLimit, bodyAt, 1024, 64 * 1024 * 1024),
      requestTimeoutMs: int(reqTimeout, reqAt, 100, 600_000),
      keepAliveTimeoutMs: int(kaTimeout, kaAt, 100, 600_000),
      shutdownTimeoutMs: int(shutdown, shutdownAt, 100, 3_600_000),
    },
    store,
    redis: { url: rUrl === undefined ? undefined : redisUrl(rUrl, rAt) },
    webhooks: webhooksSettings(file.webhooks, at('webhooks'), defaults.webhooks, apps),
    log: {
      level: logLevel(level, levelAt),
      format: oneOf(format, formatAt, LOG_FORMATS),
      bufferBytes: int(logBuffer, logBufferAt, 4096, 1024 * 1024 * 1024),
    },
    apps,
    devApp: devAppSettings(flags, e, apps, configFile),
    configFile,
  }
  return deepFreeze(config)
}

/** `--sdkappid`, `--secret-key`, `--admin` and their variables: the development app's values. */
function devAppSettings(
  flags: ConfigFlags,
  e: Record<string, [string, string]>,
  apps: readonly AppConfig[],
  configFile: string | undefined,
): Config['devApp'] {
  const given = (flag: unknown, name: string, key: string): [unknown, string] | undefined =>
    flag !== undefined ? [flag, name] : e[key]
  const id = given(flags.sdkappid, '--sdkappid', 'devApp.sdkAppId')
  const key = given(flags.secretKey, '--secret-key', 'devApp.secretKey')
  const admins =
    flags.admin !== undefined && flags.admin.length > 0
      ? ([flags.admin, '--admin'] as [unknown, string])
      : e['devApp.admins'] && ([e['devApp.admins'][0].split(','), e['devApp.admins'][1]] as [unknown, string])
  const named = [id, key, admins].filter((v) => v !== undefined).map((v) => v![1])
  if (named.length > 0 && apps.length > 0) {
    throw new ConfigError(
      `${named.join(', ')} define the development app, but ${configFile} lists apps: give the app there instead`,
    )
  }
  let adminList: string[] | undefined
  if (admins !== undefined) {
    const list = admins[0] as unknown[]
    if (list.length === 0 || list.length > MAX_ADMINS) {
      throw new ConfigError(`${admins[1]}: expected 1 to ${MAX_ADMINS} UserIDs`)
    }
    adminList = list.map((a) => userId(typeof a === 'string' ? a.trim() : a, admins[1]))
  }
  return {
    sdkAppId: id === undefined ? undefined : int(id[0], id[1], 1, 0xffffffff),
    secretKey: key === undefined ? undefined : str(key[0], key[1]),
    admins: adminList,
  }
}

/** The config as `receiptd config print` shows it: secrets masked. */
export function printableConfig(config: Config): unknown {
  const mask = (s: string | undefined) =>
    s === undefined ? undefined : `${s.slice(0, 2)}…(${s.length} chars)`
  return {
    ...config,
    store: { ...config.store, databaseUrl: maskUrl(config.store.databaseUrl) },
    redis: { url: maskUrl(config.redis.url) },
    devApp: config.devApp && { ...config.devApp, secretKey: mask(config.devApp.secretKey) },
    apps: config.apps.map((a) => ({
      ...a,
      secretKey: mask(a.secretKey),
      callback: a.callback && { ...a.callback, token: mask(a.callback.token) },
    })),
  }
}
