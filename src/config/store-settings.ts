/**
 * The settings of scaling out: the PostgreSQL URL and pool, and the Redis URL of shared rate
 * limits. Each failure names the key it came from.
 */
import type { PostgresConfig } from './config.js'
import { checkKeys, ConfigError, int, isObj, str } from './checks.js'

export function databaseUrl(v: unknown, at: string): string {
  const s = str(v, at)
  if (!/^postgres(ql)?:\/\/\S*$/.test(s)) {
    throw new ConfigError(`${at}: expected a postgres:// or postgresql:// URL, got ${JSON.stringify(v)}`)
  }
  return s
}

export function redisUrl(v: unknown, at: string): string {
  const s = str(v, at)
  if (!/^rediss?:\/\/\S*$/.test(s)) {
    throw new ConfigError(`${at}: expected a redis:// or rediss:// URL, got ${JSON.stringify(v)}`)
  }
  return s
}

/** A plain identifier, so it can go into the connection's startup options without quoting. */
const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

/** `store.postgres` from the file over `defaults`; absent keys keep their default. */
export function postgresSettings(raw: unknown, at: string, defaults: PostgresConfig): PostgresConfig {
  if (raw === undefined) return defaults
  if (!isObj(raw)) throw new ConfigError(`${at}: expected a mapping`)
  checkKeys(raw, at, [...Object.keys(defaults), 'connectionTimeoutMs'])
  const schema = raw.schema === undefined ? defaults.schema : str(raw.schema, `${at}.schema`)
  if (!SCHEMA.test(schema)) {
    throw new ConfigError(
      `${at}.schema: expected a plain identifier (letters, digits, _; at most 63), got ${JSON.stringify(schema)}`,
    )
  }
  const num = (key: keyof PostgresConfig, min: number, max: number, from: string = key): number =>
    raw[from] === undefined ? (defaults[key] as number) : int(raw[from], `${at}.${from}`, min, max)
  // `connectionTimeoutMs` is the older name of `acquireTimeoutMs`; the new name wins when both are set.
  const acquireKey = raw.acquireTimeoutMs === undefined ? 'connectionTimeoutMs' : 'acquireTimeoutMs'
  return {
    schema,
    poolMax: num('poolMax', 1, 1000),
    acquireTimeoutMs: num('acquireTimeoutMs', 100, 600_000, acquireKey),
    statementTimeoutMs: num('statementTimeoutMs', 100, 600_000),
    idleTimeoutMs: num('idleTimeoutMs', 0, 86_400_000),
  }
}

/** A URL as `config print` shows it: the password masked. */
export function maskUrl(url: string | undefined): string | undefined {
  return url?.replace(/^([a-z]+:\/\/[^:/@]*:)[^@/]*@/i, '$1***@')
}
