/**
 * Assembles receiptd in order: config → apps → store (migrated) → webhook dispatcher → gateway →
 * HTTP listener, and takes it apart in reverse on `close()`: stop accepting, finish in-flight
 * requests, stop the dispatcher (attempts in flight are sent again next start), commit what is
 * pending, close the store. The CLI, library mode (`src/index.ts`) and the tests start servers
 * through `startServer`.
 */
import type { Logger } from 'pino'
import type { Command } from './api/command.js'
import type { AppConfig, Config } from './config/config.js'
import { resolveApps, type KeySource } from './config/dev-app.js'
import { systemClock, type Clock } from './domain/clock.js'
import { checkUserId, type UserId } from './domain/accounts/user-id.js'
import { createV4Handler } from './gateway/handler.js'
import { LocalRateLimiter, type RateLimiter } from './gateway/rate-limit.js'
import { addHealthRoute } from './gateway/health.js'
import { addOwnApiRoutes } from './gateway/own-api.js'
import { commands as commandTable } from './api/commands.js'
import { mountInspector } from './inspector/mount.js'
import { loadDocument } from './inspector/test-support.js'
import { parseFixtures } from './inspector/fixture-format.js'
import { ConfigError } from './config/load.js'
import { TencentError } from './domain/codes.js'
import { readFileSync } from 'node:fs'
import { RedisRateLimiter } from './gateway/redis-rate-limit.js'
import { Routes, text } from './gateway/routes.js'
import { createHttpServer } from './gateway/server.js'
import { createLogger } from './logging/logger.js'
import { Metrics } from './metrics/metrics.js'
import { VERSION } from './version.js'
import { RepeatLog } from './logging/repeat-log.js'
import { UserSigVerifier } from './gateway/usersig.js'
import { LoginKicks } from './gateway/login-kicks.js'
import { openStore } from './store/open-store.js'
import type { Store, StoreDescription } from './store/store.js'
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
  /** Adds routes beside receiptd's own `/api`, `/healthz` and `/metrics`. */
  routes?: (routes: Routes, server: { store: Store; apps: readonly AppConfig[] }) => void
  /**
   * A fixture file (docs/fixtures.md) that replaces the data of the first app at start (the
   * development app when none is configured); the app must allow test support.
   */
  fixturesFile?: string
}

/** Replaces the first app's data with a fixture file, or fails start-up naming the file. */
async function loadFixturesFile(store: Store, app: AppConfig, file: string, clock: Clock): Promise<void> {
  if (app.testSupport !== true) {
    throw new ConfigError(
      `--fixtures: app ${app.sdkAppId} does not allow it; set testSupport: true in its config`,
    )
  }
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new ConfigError(`--fixtures ${file}: ${(e as Error).message}`)
  }
  try {
    const doc = parseFixtures(text)
    await store.resetApp(app.sdkAppId)
    await importAdmins(store, [app], clock)
    await loadDocument(store, clock, app, doc)
  } catch (e) {
    if (e instanceof TencentError) throw new ConfigError(`--fixtures ${file}: ${e.info}`)
    throw e
  }
}

/** Connections kept per callback origin by each of the two pools. */
const CALLBACK_CONNECTIONS = 64

export interface ReceiptdServer {
  /** `http://host:port` the server listens on. */
  url: string
  port: number
  apps: readonly AppConfig[]
  /** The generated development app, when no app was configured. */
  devApp: AppConfig | undefined
  /** Where the development app's key came from. */
  keySource: KeySource | undefined
  store: Store
  logger: Logger
  /** The after-event dispatcher, running. */
  dispatcher: Dispatcher
  /** Where the data is, for the start-up line. */
  storeDescription: StoreDescription
  /**
   * Stops accepting, finishes requests in flight, stops the dispatcher, commits what is pending
   * and closes the store. Calling it again returns the same promise.
   */
  close(): Promise<void>
  /** While closing: what is still being waited for, in words (for the shutdown deadline). */
  pending(): string[]
  /** Deletes everything one app has (`Store.resetApp`); its admins exist again as at start. */
  resetApp(sdkAppId: number): Promise<void>
}

export { createLogger } from './logging/logger.js'

export { VERSION }

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
async function openRateLimiter(
  redisUrl: string | undefined,
  logger: Logger,
  metrics: Metrics,
): Promise<RateLimiter> {
  if (redisUrl === undefined) return new LocalRateLimiter()
  const shared = new RedisRateLimiter({ url: redisUrl, logger, onError: () => metrics.redisError() })
  await shared.ready()
  return shared
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<ReceiptdServer> {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? createLogger(config.log.level, { format: config.log.format })
  const { apps, devApp, keySource } = resolveApps(config)
  const store = await openStore(config.store)
  const metrics = new Metrics(store)
  store.observe(metrics.store)
  const rateLimiter = await openRateLimiter(config.redis.url, logger, metrics)
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
    onAttempt: (command, outcome, seconds) => metrics.delivery(command, outcome, seconds),
  })
  try {
    await importAdmins(store, apps, clock)
    if (options.fixturesFile !== undefined)
      await loadFixturesFile(store, apps[0]!, options.fixturesFile, clock)
    await dispatcher.start()
    const kicks = new LoginKicks(store, clock)
    const verifier = new UserSigVerifier({ kicks })
    const repeats = new RepeatLog(logger)
    const handleV4 = createV4Handler({
      repeats,
      apps,
      store,
      clock,
      rateLimiter,
      verifier,
      kicks,
      beforeSend: new BeforeSendClient({ http: beforeHttp, clock }),
      ...(options.commands && { commands: options.commands }),
    })
    const routes = new Routes()
    addHealthRoute(routes, store, repeats)
    addOwnApiRoutes(routes, { apps, store, clock, verifier })
    mountInspector(routes, {
      apps,
      store,
      clock,
      verifier,
      commands: (options.commands ?? commandTable).values(),
      version: VERSION,
    })
    routes.add('GET', '/metrics', async () =>
      text(200, metrics.registry.contentType, await metrics.registry.metrics()),
    )
    options.routes?.(routes, { store, apps })
    const http = createHttpServer({
      config: config.server,
      logger,
      handleV4,
      routes,
      onAnswered: (record) => metrics.answered(record),
    })
    const storeDescription = await store.describe()
    const port = await http.listen(config.server.host, config.server.port)
    const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host
    const url = `http://${host}:${port}`
    logger.info(
      {
        version: VERSION,
        url,
        store: storeDescription.kind,
        location: storeDescription.location,
        schema: storeDescription.schema,
        migration: storeDescription.migration,
        apps: apps.map((a) => a.sdkAppId),
      },
      'receiptd started',
    )
    let closing: Promise<void> | undefined
    /** What close() is waiting for now. */
    let stage: string | undefined
    return {
      url,
      port,
      apps,
      devApp,
      keySource,
      store,
      logger,
      dispatcher,
      storeDescription,
      close() {
        closing ??= (async () => {
          stage = 'http'
          await http.close()
          repeats.flush()
          stage = 'rate limiter'
          await rateLimiter.close?.()
          stage = 'dispatcher'
          await dispatcher.stop()
          stage = 'callback connections'
          await Promise.all([afterHttp.close(), beforeHttp.close()])
          stage = 'store'
          await store.close()
          stage = undefined
        })()
        return closing
      },
      async resetApp(sdkAppId) {
        const app = apps.find((a) => a.sdkAppId === sdkAppId)
        if (app === undefined) throw new Error(`no app ${sdkAppId} on this server`)
        await store.resetApp(sdkAppId)
        await importAdmins(store, [app], clock)
      },
      pending() {
        if (stage === undefined) return []
        if (stage === 'http') return [`${http.inFlight} requests in flight`]
        if (stage === 'dispatcher') return ['webhook attempts in flight']
        if (stage === 'store') return [`the ${store.kind} store (committing and closing)`]
        return [stage]
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
