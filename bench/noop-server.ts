/**
 * receiptd with a command table of one command that does nothing, for measuring the HTTP layer and
 * gateway alone (URL, UserSig, rate limit, JSON body, envelope, access log) against the bare
 * baseline. Logs at info to stdout, as `serve` does.
 */
import { command } from '../src/api/command.js'
import { defaultGroupReceiptTypes, defaultLimits, defaults } from '../src/config/config.js'
import { startServer } from '../src/main.js'
import { ADMIN, SDK_APP_ID, SECRET } from './harness.js'

const noop = command({ service: 'openim', name: 'noop', perSecond: 0, request: {}, run: async () => ({}) })

const server = await startServer(
  {
    server: { ...defaults.server, port: 0 },
    store: { ...defaults.store, memory: true },
    redis: { url: undefined },
    webhooks: defaults.webhooks,
    log: { ...defaults.log, level: 'info' },
    apps: [
      {
        sdkAppId: SDK_APP_ID,
        secretKey: SECRET,
        admins: [ADMIN],
        callback: undefined,
        limits: { ...defaultLimits, ratePerSecond: 0 },
        groupReceiptTypes: defaultGroupReceiptTypes,
      },
    ],
    configFile: undefined,
  },
  { commands: new Map([['openim/noop', noop]]) },
)
process.stderr.write(`listening on ${server.url}\n`)
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
