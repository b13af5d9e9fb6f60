#!/usr/bin/env node
/**
 * `receiptd serve | usersig | config print`. Thin: each command loads the config, calls into the
 * server or the signer, and turns a bad config into a clear message and exit code 2, a database
 * that cannot be reached or migrated into one and exit code 3.
 */
import { Command, Option } from 'commander'
import { signUserSig, unsignableIdentifier } from '../auth/tls-sig-api-v2.js'
import type { AppConfig, Config } from '../config/config.js'
import { resolveApps } from '../config/dev-app.js'
import { ConfigError, loadConfig, printableConfig, type ConfigFlags } from '../config/load.js'
import { MigrationError } from '../store/migrations.js'
import { StoreUnavailableError } from '../store/store.js'
import { startReceiptd } from '../main.js'
import { banner } from './banner.js'

const EXIT_CONFIG = 2
const EXIT_STORE = 3
/** Tencent's reference libraries default to 180 days (spec §2.1). */
const DEFAULT_EXPIRE_SECONDS = 86400 * 180

function fail(e: unknown): never {
  if (e instanceof ConfigError) {
    process.stderr.write(`receiptd: ${e.message}\n`)
    process.exit(EXIT_CONFIG)
  }
  if (e instanceof StoreUnavailableError || e instanceof MigrationError) {
    process.stderr.write(`receiptd: ${e.message}\n`)
    process.exit(EXIT_STORE)
  }
  throw e
}

function load(flags: ConfigFlags): Config {
  try {
    return loadConfig(flags)
  } catch (e) {
    return fail(e)
  }
}

const configOption = () =>
  new Option('-c, --config <file>', 'config file, YAML or JSON (env RECEIPTD_CONFIG)')
const dataOption = () => new Option('-d, --data <dir>', 'data folder of the embedded store (default ./data)')

const program = new Command()
  .name('receiptd')
  .description("A server for Tencent Cloud Chat's v4 REST API and webhooks, centred on read receipts")
  .showHelpAfterError()

program
  .command('serve')
  .description('start the server')
  .option('--host <host>', 'address to listen on (default 127.0.0.1)')
  .option('-p, --port <port>', 'port to listen on (default 8080; 0 picks a free one)')
  .addOption(dataOption().conflicts('memory'))
  .addOption(
    new Option('--memory', 'keep everything in memory: nothing survives a restart').conflicts('data'),
  )
  .addOption(configOption())
  .addOption(new Option('--durability <mode>', 'default | strict (fsync before answering)'))
  .addOption(
    new Option(
      '--database <url>',
      'postgres://… : PostgreSQL instead of the embedded SQLite (env RECEIPTD_DATABASE_URL, DATABASE_URL)',
    ),
  )
  .addOption(
    new Option('--redis <url>', 'redis://… : rate limits shared by every instance (env RECEIPTD_REDIS_URL)'),
  )
  .addOption(new Option('--log-level <level>', 'fatal | error | warn | info | debug | trace | silent'))
  .action(async (opts: ConfigFlags) => {
    const config = load(opts)
    let server
    try {
      server = await startReceiptd(config)
    } catch (e) {
      fail(e)
    }
    if (server.devApp !== undefined) process.stdout.write(banner(server.url, server.devApp, config))
    else
      server.logger.info(
        { url: server.url, apps: server.apps.map((a) => a.sdkAppId) },
        'receiptd is listening',
      )

    let stopping = false
    const stop = (signal: string) => {
      if (stopping) {
        server.logger.warn({ signal }, 'second signal: exiting without waiting')
        process.exit(1)
      }
      stopping = true
      server.logger.info({ signal }, 'shutting down: finishing in-flight requests')
      server.close().then(
        () => process.exit(0),
        (e: unknown) => {
          server.logger.error({ err: e }, 'shutdown failed')
          process.exit(1)
        },
      )
    }
    process.on('SIGTERM', () => stop('SIGTERM'))
    process.on('SIGINT', () => stop('SIGINT'))
  })

program
  .command('usersig')
  .description("print a UserSig for a UserID, signed with an app's secret key")
  .argument('<userId>', 'the UserID the UserSig is for')
  .option('--app <sdkAppId>', 'the app (default: the only or first configured app)')
  .option('--expire <seconds>', 'validity in seconds', String(DEFAULT_EXPIRE_SECONDS))
  .addOption(configOption())
  .addOption(dataOption())
  .action((userId: string, opts: { app?: string; expire: string } & ConfigFlags) => {
    const unsignable = unsignableIdentifier(userId)
    if (unsignable !== undefined) {
      fail(new ConfigError(`<userId>: ${unsignable}, so no UserSig for it could ever verify`))
    }
    const config = load(opts)
    let apps: readonly AppConfig[]
    try {
      apps = resolveApps(config).apps
    } catch (e) {
      fail(e)
    }
    const app = opts.app === undefined ? apps[0] : apps.find((a) => String(a.sdkAppId) === opts.app)
    if (app === undefined) fail(new ConfigError(`--app: no app ${opts.app} in the config`))
    if (!/^\d{1,10}$/.test(opts.expire) || Number(opts.expire) < 1) {
      fail(new ConfigError('--expire: expected a whole number of seconds, at least 1'))
    }
    const sig = signUserSig({
      sdkAppId: app.sdkAppId,
      secretKey: app.secretKey,
      identifier: userId,
      expireSeconds: Number(opts.expire),
      nowSeconds: Math.floor(Date.now() / 1000),
    })
    process.stdout.write(sig + '\n')
  })

program
  .command('config')
  .description('configuration tools')
  .command('print')
  .description('print the merged configuration, secrets masked')
  .addOption(configOption())
  .addOption(dataOption())
  .addOption(new Option('--memory'))
  .action((opts: ConfigFlags) => {
    process.stdout.write(JSON.stringify(printableConfig(load(opts)), null, 2) + '\n')
  })

await program.parseAsync()
