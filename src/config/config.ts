/**
 * The one `Config` type, its defaults and the table of environment variables. Values are merged
 * defaults < file < environment < command-line flags by `load.ts`, validated, then frozen; nothing
 * outside `config/` reads `process.env`.
 */
import { callbackCommands, type CallbackCommand } from '../webhooks/events.js'

import { RECEIPT_CAPABLE_TYPES, type ReceiptCapableType } from '../domain/groups/group-types.js'

export type Durability = 'default' | 'strict'

export interface AppLimits {
  /**
   * Calls per second for every command of the app. Absent: Tencent's per-command defaults
   * (spec §1.4: 200/s, 100/s for the batch account APIs). 0 turns rate limiting off.
   */
  ratePerSecond: number | undefined
  /** Largest group whose messages may carry read receipts (10060 above it); Tencent's is 200. */
  groupReceiptMaxMembers: number
  /** Accounts an app may import (70398 past it); 0 means no limit. */
  maxAccounts: number
  /**
   * Messages a second per group, as Tencent's 40 (spec part 2 §22); later ones in the same second
   * are dropped. 0 turns the limit off (load tests).
   */
  groupMsgPerSecond: number
  /** A dropped message answers success with `MsgDropReason: "MsgFreqCtrl"` (drop) or 10023 (error). */
  groupFreqCtrlMode: GroupFreqCtrlMode
}

export type GroupFreqCtrlMode = 'drop' | 'error'

export type TimeoutPolicy = 'deliver' | 'reject'

/** An app's third-party callbacks (spec §7, design.md decision 12). */
export interface CallbackConfig {
  url: string
  /** With a token every request carries `RequestTime` and `Sign` (spec §7.2). */
  token: string | undefined
  /** The callbacks the app receives; the others are not sent. Default: all of them. */
  commands: readonly CallbackCommand[]
  /** Hard limit on a before-send callback; Tencent's is 2 s (spec §7.3). */
  beforeSendTimeoutMs: number
  /** A before-send callback that fails: send anyway (Tencent's default) or refuse with 80003. */
  timeoutPolicy: TimeoutPolicy
  /** Limit on one after-event delivery attempt; Tencent's is 2 s. */
  afterEventTimeoutMs: number
  /** Attempts after the first for an after-event; 0 is Tencent's no-retry behaviour. */
  retries: number
  /** Wait before the first retry; each next one waits twice as long, up to `MAX_RETRY_BACKOFF_MS`. */
  retryBackoffMs: number
}

/** Callback settings that are not given take these values. */
export const callbackDefaults: Omit<CallbackConfig, 'url'> = {
  token: undefined,
  commands: callbackCommands,
  beforeSendTimeoutMs: 2000,
  timeoutPolicy: 'deliver',
  afterEventTimeoutMs: 2000,
  retries: 3,
  retryBackoffMs: 1000,
}

/** The longest wait between two attempts of an after-event, however many retries are configured. */
export const MAX_RETRY_BACKOFF_MS = 10 * 60_000

export interface AppConfig {
  sdkAppId: number
  secretKey: string
  /** Up to 10 admin UserIDs, as in Tencent's console. */
  admins: readonly string[]
  callback: CallbackConfig | undefined
  limits: AppLimits
  /**
   * Group types whose messages may carry read receipts, like the console switch of spec §6.10.
   * A type left out answers 10059 on the receipt APIs; AVChatRoom and Community can never be listed.
   */
  groupReceiptTypes: readonly ReceiptCapableType[]
  /**
   * Answers also carry the pre-2022 names of the renamed mute fields (`ShutUpUntil` beside
   * `MuteUntil`, `ShutUpAllMember` beside `MuteAllMember`) for clients that read only those
   * (spec part 2 §13.3). Requests accept both names either way. Default off.
   */
  legacyMuteFieldNames?: boolean
  /**
   * Allows `POST /api/apps/<id>/reset` and `…/fixtures`, which wipe or load the app's data: on for
   * the development app, off unless set for configured apps.
   */
  testSupport?: boolean
}

export interface ServerConfig {
  host: string
  port: number
  /** Requests with a larger body are refused while it is still arriving (design.md decision 1). */
  bodyLimitBytes: number
  /** Milliseconds a client has to send its request headers and its body. */
  requestTimeoutMs: number
  keepAliveTimeoutMs: number
  /**
   * After SIGTERM or SIGINT, how long receiptd waits for requests in flight, webhook attempts, the
   * store and the log before it exits anyway (non-zero, saying what was still pending).
   */
  shutdownTimeoutMs: number
}

/** PostgreSQL pool settings, used when `store.databaseUrl` is set. */
export interface PostgresConfig {
  /** Tables live in this schema, created when missing: several deployments may share a database. */
  schema: string
  /** Connections per instance; each transaction holds one for its few round trips. */
  poolMax: number
  /**
   * How long a request waits for a connection (new, or from a busy pool) before it fails with the
   * service's internal-error code. `connectionTimeoutMs`, its older name, is still read.
   */
  acquireTimeoutMs: number
  /**
   * Server-side `statement_timeout` and `idle_in_transaction_session_timeout` of every connection;
   * a server that does not answer at all (frozen) is given up on half a second after it.
   */
  statementTimeoutMs: number
  /** An idle pooled connection is closed after this long; 0 keeps it. */
  idleTimeoutMs: number
}

export interface StoreConfig {
  /** Folder of the embedded SQLite database and of the generated development app. */
  dataDir: string
  /** A throwaway in-memory database: nothing survives the process. */
  memory: boolean
  /** `default`: an answered write survives a killed process; `strict`: it survives power loss too. */
  durability: Durability
  /** `postgres://…`: use PostgreSQL instead of the embedded SQLite (several instances, one database). */
  databaseUrl: string | undefined
  postgres: PostgresConfig
}

export interface RedisConfig {
  /** `redis://…`: rate limit buckets shared by every instance; without it each instance keeps its own. */
  url: string | undefined
}

/** The after-event dispatcher of this instance. */
export interface WebhooksConfig {
  /**
   * How long a claimed event stays with this instance. On PostgreSQL it is also how long the events
   * of an instance that died wait before another instance sends them; it must outlast an attempt,
   * or an event still in flight would be sent again beside it.
   */
  leaseMs: number
  /**
   * How often to look for due events without being told: events recorded by other instances,
   * leases that ran out, retries beyond the next one.
   */
  pollIntervalMs: number
  /**
   * Hours a finished event (delivered, failed or skipped) and its attempts stay in the delivery log
   * before the dispatcher deletes them; 0 keeps nothing finished (design.md decision 16).
   */
  retentionHours: number
}

/** The longest `webhooks.retentionHours`: ten years. */
export const MAX_RETENTION_HOURS = 87_600

/** `pretty`: readable lines; `json`: one JSON object a line; `auto`: pretty on a terminal, else JSON. */
export type LogFormat = 'auto' | 'json' | 'pretty'

export interface LogConfig {
  level: string
  /** Absent: `auto`. */
  format?: LogFormat
  /**
   * Log output waiting for a slow destination; past it lines are dropped and counted, never held
   * in memory. Absent: 4 MiB.
   */
  bufferBytes?: number
}

/**
 * The development app when no app is configured: each value given by a flag or variable wins over
 * the one kept in the data folder; a secret key given here is never written there.
 */
export interface DevAppSettings {
  sdkAppId: number | undefined
  secretKey: string | undefined
  admins: readonly string[] | undefined
}

export interface Config {
  server: ServerConfig
  store: StoreConfig
  redis: RedisConfig
  webhooks: WebhooksConfig
  log: LogConfig
  /** Empty means "create or reuse the development app in the data folder". */
  apps: readonly AppConfig[]
  /** Absent: nothing given, the development app as kept in the data folder. */
  devApp?: DevAppSettings
  /** Where the config file was read from, for messages; undefined without one. */
  configFile: string | undefined
}

export const defaultLimits: AppLimits = {
  ratePerSecond: undefined,
  groupReceiptMaxMembers: 200,
  maxAccounts: 0,
  groupMsgPerSecond: 40,
  groupFreqCtrlMode: 'drop',
}

/** Every type that can have read receipts (spec §6.10): Private/Work, Public, ChatRoom/Meeting. */
export const defaultGroupReceiptTypes: readonly ReceiptCapableType[] = RECEIPT_CAPABLE_TYPES

export const defaults: Omit<Config, 'apps' | 'configFile' | 'devApp'> = {
  server: {
    host: '127.0.0.1',
    port: 8080,
    bodyLimitBytes: 1024 * 1024,
    requestTimeoutMs: 10_000,
    keepAliveTimeoutMs: 72_000,
    shutdownTimeoutMs: 10_000,
  },
  store: {
    dataDir: './data',
    memory: false,
    durability: 'default',
    databaseUrl: undefined,
    postgres: {
      schema: 'public',
      poolMax: 10,
      acquireTimeoutMs: 5_000,
      statementTimeoutMs: 5_000,
      idleTimeoutMs: 30_000,
    },
  },
  redis: { url: undefined },
  webhooks: { leaseMs: 60_000, pollIntervalMs: 1000, retentionHours: 72 },
  log: { level: 'info', format: 'auto', bufferBytes: 4 * 1024 * 1024 },
}

/** Environment variable → config path. The only list of variables receiptd reads. */
export const envVariables = {
  RECEIPTD_CONFIG: 'configFile',
  RECEIPTD_HOST: 'server.host',
  RECEIPTD_PORT: 'server.port',
  RECEIPTD_BODY_LIMIT: 'server.bodyLimitBytes',
  RECEIPTD_SHUTDOWN_TIMEOUT: 'server.shutdownTimeoutMs',
  RECEIPTD_DATA: 'store.dataDir',
  RECEIPTD_MEMORY: 'store.memory',
  RECEIPTD_DURABILITY: 'store.durability',
  // The common name first, so receiptd's own wins when both are set.
  DATABASE_URL: 'store.databaseUrl',
  RECEIPTD_DATABASE_URL: 'store.databaseUrl',
  RECEIPTD_REDIS_URL: 'redis.url',
  RECEIPTD_LOG_LEVEL: 'log.level',
  RECEIPTD_LOG_FORMAT: 'log.format',
  RECEIPTD_LOG_BUFFER: 'log.bufferBytes',
  RECEIPTD_SDKAPPID: 'devApp.sdkAppId',
  RECEIPTD_SECRET_KEY: 'devApp.secretKey',
  // Comma-separated.
  RECEIPTD_ADMIN: 'devApp.admins',
} as const

/** Rate and group limits Tencent documents; the most any app may configure. */
export const MAX_GROUP_RECEIPT_MEMBERS = 100_000
export const MAX_ADMINS = 10
