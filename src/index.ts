/**
 * receiptd as a library, for test suites: a real receiptd in the same process, on a free port,
 * with an in-memory store and one app whose credentials the caller knows, the way
 * mongodb-memory-server or the Firebase emulators are used.
 *
 * ```ts
 * import { startReceiptd } from 'receiptd'
 *
 * const im = await startReceiptd()
 * await fetch(`${im.url}/v4/im_open_login_svc/account_import?${im.query()}`, {
 *   method: 'POST',
 *   body: JSON.stringify({ UserID: 'alice' }),
 * })
 * await im.reset() // between tests: every account, message and group is gone
 * await im.stop()
 * ```
 */
import { randomBytes } from 'node:crypto'
import { signUserSig } from './auth/tls-sig-api-v2.js'
import type { Config } from './config/config.js'
import { buildConfig } from './config/load.js'
import { startServer } from './main.js'
import type { CallbackCommand } from './webhooks/events.js'

export type { CallbackCommand } from './webhooks/events.js'

export interface ReceiptdOptions {
  /** Default 1400000000. */
  sdkAppId?: number
  /** Default: a random key, returned as `secretKey`. */
  secretKey?: string
  /** The admin UserID that signs REST calls; default `administrator`. */
  admin?: string
  /** Webhooks to your test's receiver, as an app's `callback` in the config file (README "Webhooks"). */
  callback?: {
    url: string
    token?: string
    commands?: readonly CallbackCommand[]
    beforeSendTimeoutMs?: number
    timeoutPolicy?: 'deliver' | 'reject'
    afterEventTimeoutMs?: number
    retries?: number
    retryBackoffMs?: number
  }
  /** As an app's `limits`; default: Tencent's per-command rate limits, 200-member receipt groups. */
  limits?: { ratePerSecond?: number; groupReceiptMaxMembers?: number; maxAccounts?: number }
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0: a free port. */
  port?: number
  /** Default `silent`; logs go to stdout as JSON lines otherwise. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
}

export interface Receiptd {
  /** `http://127.0.0.1:<port>`: point your app backend's Tencent base URL here. */
  readonly url: string
  readonly sdkAppId: number
  readonly secretKey: string
  readonly admin: string
  /** A UserSig for `userId` (default: the admin), valid `expireSeconds` (default 1 day). */
  usersig(userId?: string, expireSeconds?: number): string
  /** The query string of a REST call signed by `identifier` (default: the admin). */
  query(identifier?: string): string
  /** Deletes everything the app has (accounts, messages, groups, read state, webhooks). */
  reset(): Promise<void>
  stop(): Promise<void>
}

/** Starts receiptd in this process. Bad options reject with a message naming the option. */
export async function startReceiptd(options: ReceiptdOptions = {}): Promise<Receiptd> {
  const sdkAppId = options.sdkAppId ?? 1400000000
  const secretKey = options.secretKey ?? randomBytes(32).toString('hex')
  const admin = options.admin ?? 'administrator'
  const config: Config = buildConfig(
    {
      server: { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
      log: { level: options.logLevel ?? 'silent', format: 'json' },
      apps: [
        {
          sdkAppId,
          secretKey,
          admins: [admin],
          ...(options.callback && { callback: options.callback }),
          ...(options.limits && { limits: options.limits }),
        },
      ],
    },
    'startReceiptd options',
    {},
    { memory: true },
  )
  const server = await startServer(config)
  const usersig = (userId = admin, expireSeconds = 86400) =>
    signUserSig({
      sdkAppId,
      secretKey,
      identifier: userId,
      expireSeconds,
      nowSeconds: Math.floor(Date.now() / 1000),
    })
  return {
    url: server.url,
    sdkAppId,
    secretKey,
    admin,
    usersig,
    query: (identifier = admin) =>
      `sdkappid=${sdkAppId}&identifier=${encodeURIComponent(identifier)}&usersig=${usersig(identifier)}` +
      `&random=${Math.floor(Math.random() * 2 ** 32)}&contenttype=json`,
    reset: () => server.resetApp(sdkAppId),
    stop: () => server.close(),
  }
}
