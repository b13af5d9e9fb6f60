/**
 * Assembles receiptd in order: config → apps → store (migrated) → webhook dispatcher → gateway →
 * HTTP listener, and takes it apart in reverse on `close()`: stop accepting, finish in-flight
 * requests, stop the dispatcher (attempts in flight are sent again next start), commit what is
 * pending, close the store. The CLI and the tests start servers through `startReceiptd`.
 */
import pino, { type Logger } from 'pino'
import type { Command } from './api/command.js'
import type { AppConfig, Config } from './config/config.js'
import { resolveApps } from './config/dev-app.js'
import { systemClock, type Clock } from './domain/clock.js'
import { checkUserId, type UserId } from './domain/accounts/user-id.js'
import { createV4Handler } from './gateway/handler.js'
import { LocalRateLimiter, type RateLimiter } from './gateway/rate-limit.js'
import { ownApiRoutes } from './gateway/own-api.js'
import { RedisRateLimiter } from './gateway/redis-rate-limit.js'
import { createHttpServer } from './gateway/server.js'
import { UserSigVerifier } from './gateway/usersig.js'
import { openStore } from './store/open-store.js'
import type { Store } from './store/store.js'
import { BeforeSendClient } from './webhooks/before-send.js'
import { CallbackHttp } from './webhooks/http-client.js'
import { Dispatcher, type DispatcherOptions } from './webhooks/worker.js'

export interface StartOptions {
  clock?: Clock
  logger?: Logger
  /** Tuning of the after-event dispatcher, over `config.webhooks`. */
  dispatcher?: Pick<
    DispatcherOptions,
    'concurrency' | 'pollIntervalMs' | 'leaseMs' | 'pace' | 'retentionHours' | 'sweep'
  >
  /** A command table in place of receiptd's own; for benchmarks and tests of the gateway. */
  commands?: ReadonlyMap<string, Command>
}

/** Connections kept per callback origin by each of the two pools. */
const CALLBACK_CONNECTIONS = 64

export interface Receiptd {
  /** `http://host:port` the server listens on. */
  url: string
  port: number
  apps: readonly AppConfig[]
  /** The generated development app, when no app was configured. */
  devApp: AppConfig | undefined
  store: Store
  logger: Logger
  /** The after-event dispatcher, running. */
  dispatcher: Dispatcher
  close(): Promise<void>
}

/**
 * JSON lines on stdout, written asynchronously so a log line never blocks an answer. Secret keys
 * and usersigs are never passed to the logger (the access log takes named fields only), so no
 * per-line redaction is needed.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { pid: process.pid } }, pino.destination({ dest: 1, sync: false }))
}

/** Admins sign every call and may be senders, so each exists as an account from the start. */
async function importAdmins(store: Store, apps: readonly AppConfig[], clock: Clock): Promise<void> {
  for (const app of apps) {
    const admins = app.admins.flatMap((a) => {
      const c = checkUserId(a)
      return c.ok ? [c.userId as UserId] : []
    })
    await store.transaction(app.sdkAppId, (tx) =>
      tx.accounts.importAccounts(
        admins.map((userId) => ({ userId, nick: undefined, faceUrl: undefined })),
        clock.nowSeconds(),
      ),
    )
  }
}

/** One bucket per app × command for all instances with Redis; per instance without it. */
async function openRateLimiter(redisUrl: string | undefined, logger: Logger): Promise<RateLimiter> {
  if (redisUrl === undefined) return new LocalRateLimiter()
  const shared = new RedisRateLimiter({ url: redisUrl, logger })
  await shared.ready()
  return shared
}

export async function startReceiptd(config: Config, options: StartOptions = {}): Promise<Receiptd> {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? createLogger(config.log.level)
  const { apps, devApp } = resolveApps(config)
  const store = await openStore(config.store)
  const rateLimiter = await openRateLimiter(config.redis.url, logger)
  // Two pools: a backlog of after-events never queues ahead of a before-send a sender waits on.
  const afterHttp = new CallbackHttp({ connections: CALLBACK_CONNECTIONS })
  const beforeHttp = new CallbackHttp({ connections: CALLBACK_CONNECTIONS })
  const dispatcher = new Dispatcher({
    ...config.webhooks,
    ...options.dispatcher,
    queue: store.deliveryQueue,
    apps,
    http: afterHttp,
    clock,
    log: logger.child({ component: 'webhooks' }),
  })
  try {
    await importAdmins(store, apps, clock)
    await dispatcher.start()
    const verifier = new UserSigVerifier()
    const handleV4 = createV4Handler({
      apps,
      store,
      clock,
      rateLimiter,
      verifier,
      beforeSend: new BeforeSendClient({ http: beforeHttp, clock }),
      ...(options.commands && { commands: options.commands }),
    })
    const http = createHttpServer({
      config: config.server,
      logger,
      store,
      handleV4,
      extraRoutes: ownApiRoutes({ apps, store, clock, verifier }),
    })
    await http.listen({ host: config.server.host, port: config.server.port })
    const address = http.server.address()
    const port = typeof address === 'object' && address !== null ? address.port : config.server.port
    const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host
    let closing: Promise<void> | undefined
    return {
      url: `http://${host}:${port}`,
      port,
      apps,
      devApp,
      store,
      logger,
      dispatcher,
      close() {
        closing ??= (async () => {
          await http.close()
          await rateLimiter.close?.()
          await dispatcher.stop()
          await Promise.all([afterHttp.close(), beforeHttp.close()])
          await store.close()
          await new Promise<void>((resolve) => logger.flush(() => resolve()))
        })()
        return closing
      },
    }
  } catch (e) {
    await rateLimiter.close?.()
    await dispatcher.stop()
    await Promise.all([afterHttp.close(), beforeHttp.close()])
    await store.close()
    throw e
  }
}
