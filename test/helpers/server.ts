/**
 * Starts a real receiptd on a random port, and calls it over HTTP the way SDKs do: query
 * parameters, a UserSig made by Tencent's official generator, a JSON body. The store is SQLite in
 * memory, or with RECEIPTD_TEST_STORE=postgres a fresh PostgreSQL schema per server (dropped on
 * close), so suites run in parallel on one database without meeting.
 */
import pg from 'pg'
import { Api } from 'tls-sig-api-v2'
import type { AppConfig, CallbackConfig, Config } from '../../src/config/config.js'
import {
  callbackDefaults,
  defaultGroupReceiptTypes,
  defaultLimits,
  defaults,
} from '../../src/config/config.js'
import { afterEventCommands } from '../../src/webhooks/events.js'
import { createLogger, startServer, type ReceiptdServer, type StartOptions } from '../../src/main.js'
import { dropSchema, freshSchema, TEST_STORE, testDatabaseUrl } from './stores.js'

/** The sample key of every official TLSSigAPIv2 README (spec §2.2). */
export const SAMPLE_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
export const SDK_APP_ID = 1400000000
export const ADMIN = 'administrator'

/**
 * The callback of test apps unless a test gives its own: every after-event command, so the events
 * a request causes are written (events nobody receives are not, design.md decision 16) and tests
 * can read them from the outbox. Nothing listens at the URL: each event is tried once and logged
 * failed. No before-send command, so sends are never held up asking.
 */
export const RECORDING_CALLBACK: CallbackConfig = {
  ...callbackDefaults,
  url: 'http://127.0.0.1:9/unheard',
  commands: afterEventCommands,
  retries: 0,
}

export function testApp(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    sdkAppId: SDK_APP_ID,
    secretKey: SAMPLE_KEY,
    admins: [ADMIN],
    callback: RECORDING_CALLBACK,
    limits: { ...defaultLimits, ratePerSecond: 0 },
    groupReceiptTypes: defaultGroupReceiptTypes,
    testSupport: true,
    ...overrides,
  }
}

export function testConfig(apps: AppConfig[] = [testApp()], server: Partial<Config['server']> = {}): Config {
  return {
    server: { ...defaults.server, port: 0, ...server },
    store:
      TEST_STORE === 'postgres'
        ? {
            ...defaults.store,
            databaseUrl: testDatabaseUrl(),
            postgres: { ...defaults.store.postgres, schema: freshSchema(), poolMax: 4 },
          }
        : { ...defaults.store, memory: true },
    redis: { url: undefined },
    webhooks: defaults.webhooks,
    log: { level: 'silent' },
    apps,
    configFile: undefined,
  }
}

export interface Envelope {
  ActionStatus: string
  ErrorCode: number
  ErrorInfo: string
  [field: string]: unknown
}

export interface CallOptions {
  sdkAppId?: number | string
  identifier?: string
  usersig?: string
  /** Extra or replacement query string; replaces the default one entirely when given. */
  query?: string
  contentType?: string | null
  rawBody?: string | Buffer
}

export class TestServer {
  readonly receiptd: ReceiptdServer
  readonly config: Config
  readonly #sigs = new Map<string, string>()
  #pool: pg.Pool | undefined

  constructor(receiptd: ReceiptdServer, config: Config) {
    this.receiptd = receiptd
    this.config = config
  }

  get url(): string {
    return this.receiptd.url
  }

  /** A UserSig from Tencent's official Node library, valid for a day. */
  sig(identifier = ADMIN, app: AppConfig = this.receiptd.apps[0]!): string {
    const key = `${app.sdkAppId}/${identifier}`
    let sig = this.#sigs.get(key)
    if (sig === undefined) {
      sig = new Api(app.sdkAppId, app.secretKey).genUserSig(identifier, 86400)
      this.#sigs.set(key, sig)
    }
    return sig
  }

  async call(path: string, body: unknown, options: CallOptions = {}): Promise<Envelope> {
    const res = await this.post(path, body, options)
    return (await res.json()) as Envelope
  }

  async post(path: string, body: unknown, options: CallOptions = {}): Promise<Response> {
    const identifier = options.identifier ?? ADMIN
    const query =
      options.query ??
      `sdkappid=${options.sdkAppId ?? SDK_APP_ID}&identifier=${encodeURIComponent(identifier)}` +
        `&usersig=${options.usersig ?? this.sig(identifier)}&random=${Math.floor(Math.random() * 2 ** 32)}&contenttype=json`
    const headers: Record<string, string> = {}
    if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json'
    return fetch(`${this.url}/v4/${path}?${query}`, {
      method: 'POST',
      headers,
      body: options.rawBody ?? JSON.stringify(body),
    })
  }

  /** Runs SQL on the server's PostgreSQL schema, for tests that look inside the store. */
  async sql<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
    const { databaseUrl, postgres } = this.config.store
    if (databaseUrl === undefined) throw new Error('sql(): this test server runs on SQLite')
    this.#pool ??= new pg.Pool({
      connectionString: databaseUrl,
      max: 1,
      options: `-c search_path=${postgres.schema}`,
    })
    return (await this.#pool.query<R>(text, params)).rows
  }

  async close(): Promise<void> {
    await this.#pool?.end()
    await this.receiptd.close()
    const { databaseUrl, postgres } = this.config.store
    if (databaseUrl !== undefined) await dropSchema(databaseUrl, postgres.schema)
  }
}

export async function startTestServer(
  config: Config = testConfig(),
  options: Pick<StartOptions, 'clock' | 'dispatcher' | 'routes'> = {},
): Promise<TestServer> {
  const receiptd = await startServer(config, { ...options, logger: createLogger('silent') })
  return new TestServer(receiptd, config)
}
