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
import { ownApiRoutes, RawAnswer, type ApiRoute } from './gateway/own-api.js'
import { consoleRoutes } from './gateway/static.js'
import { commands as commandTable } from './api/commands.js'
import { openApiDocument } from './inspector/openapi.js'
import { inspectRoutes } from './inspector/routes.js'
import { loadDocument } from './inspector/test-support.js'
import { parseFixtures } from './inspector/fixture-format.js'
import { ConfigError } from './config/load.js'
import { readFileSync } from 'node:fs'
import { TencentError } from './domain/codes.js'
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
  dispatcher?: Pick<DispatcherOptions, 'concurrency' | 'pollIntervalMs' | 'leaseMs' | 'pace'>
  /** A command table in place of receiptd's own; for benchmarks and tests of the gateway. */
  commands?: ReadonlyMap<string, Command>
  /**
   * A fixture file (docs/fixtures.md) that replaces the data of the first app at start (the
   * development app when none is configured); the app must allow test support.
   */
  fixturesFile?: string
}

/** The web console's files: beside this module in src/ and, copied by the build, in dist/. */
const CONSOLE_DIR = new URL('./console/', import.meta.url)
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version

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
    if (options.fixturesFile !== undefined)
      await loadFixturesFile(store, apps[0]!, options.fixturesFile, clock)
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
    const inspection = inspectRoutes({ store, clock })
    const routes: ApiRoute[] = [
      ...inspection.routes.map((r) => ({
        method: r.method,
        path: r.path,
        run: async (req: Parameters<typeof r.run>[0]) => {
          const answer = await r.run(req)
          return 'raw' in answer && answer.raw === true
            ? new RawAnswer(answer.contentType as string, answer.body as string)
            : answer
        },
      })),
      inspection.events,
    ]
    const openApi = JSON.stringify(
      openApiDocument({
        version: PACKAGE_VERSION,
        ...inspection,
        commands: (options.commands ?? commandTable).values(),
      }),
    )
    const ownApi = ownApiRoutes({ apps, store, clock, verifier, routes })
    const consoleFiles = consoleRoutes(CONSOLE_DIR)
    const http = createHttpServer({
      config: config.server,
      logger,
      store,
      handleV4,
      extraRoutes: (fastify) => {
        ownApi(fastify)
        consoleFiles(fastify)
        fastify.get('/api/openapi.json', async (_req, reply) => reply.type('application/json').send(openApi))
      },
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
