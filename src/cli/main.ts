#!/usr/bin/env node
/**
 * `receiptd serve | usersig | config print`. Thin: each command loads the config, calls into the
 * server or the signer, and turns every failure it can name into one line and an exit code
 * (exit-codes.ts): no stack for a bad setting, a store that cannot be used or a port in use.
 */
import { Command, CommanderError, Option } from 'commander'
import { signUserSig } from '../auth/tls-sig-api-v2.js'
import type { AppConfig, Config } from '../config/config.js'
import { resolveApps } from '../config/dev-app.js'
import { ConfigError, loadConfig, type ConfigFlags } from '../config/load.js'
import { checkUserId } from '../domain/accounts/user-id.js'
import { VERSION } from '../main.js'
import { effectiveConfig } from './config-print.js'
import { EXIT, exitCodeOf } from './exit-codes.js'
import { serve } from './serve.js'

/** Tencent's reference libraries default to 180 days (spec §2.1). */
const DEFAULT_EXPIRE_SECONDS = 86400 * 180

/** One line on stderr and the exit code of `e`; an unexpected error keeps its stack. */
export function fail(e: unknown): never {
  const code = exitCodeOf(e)
  const text = code === EXIT.unexpected && e instanceof Error ? (e.stack ?? e.message) : (e as Error).message
  process.stderr.write(`receiptd: ${text}\n`)
  process.exit(code)
}

function load(flags: ConfigFlags): Config {
  try {
    return loadConfig(flags)
  } catch (e) {
    return fail(e)
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value]

/** The options of `serve`; `config print` takes the same, to show what serve would run with. */
function serveOptions(cmd: Command): Command {
  return cmd
    .option('--host <host>', 'address to listen on (default 127.0.0.1; env RECEIPTD_HOST)')
    .option('-p, --port <port>', 'port to listen on (default 8080; 0 picks a free one; env RECEIPTD_PORT)')
    .addOption(
      new Option('-d, --data <dir>', 'data folder of the embedded store (default ./data; env RECEIPTD_DATA)'),
    )
    .addOption(new Option('--memory', 'keep everything in memory: nothing survives a restart'))
    .option('-c, --config <file>', 'config file: .json, .yaml or .yml (env RECEIPTD_CONFIG)')
    .option('--durability <mode>', 'default | strict (fsync before answering; SQLite data folder only)')
    .option('--database <url>', 'postgres://… : PostgreSQL instead of SQLite (env RECEIPTD_DATABASE_URL)')
    .option('--redis <url>', 'redis://… : rate limits shared by every instance (env RECEIPTD_REDIS_URL)')
    .option('--log-level <level>', 'fatal | error | warn | info | debug | trace | silent')
    .option('--log-format <format>', 'pretty | json | auto (pretty on a terminal; env RECEIPTD_LOG_FORMAT)')
    .option('--sdkappid <id>', 'SDKAppID of the development app (env RECEIPTD_SDKAPPID)')
    .option('--secret-key <key>', 'secret key of the development app (env RECEIPTD_SECRET_KEY)')
    .option(
      '--admin <userId>',
      'an admin of the development app; repeat for more (env RECEIPTD_ADMIN=a,b)',
      collect,
    )
}

const program = new Command()
  .name('receiptd')
  .description("A server for Tencent Cloud Chat's v4 REST API and webhooks, centred on read receipts")
  .version(VERSION, '-v, --version')
  .showHelpAfterError()
  .exitOverride()

serveOptions(program.command('serve').description('start the server').exitOverride())
  .option(
    '--fixtures <file>',
    "replace the first app's data with a fixture file (JSON or YAML, docs/fixtures.md) at start",
  )
  .action(async (opts: ConfigFlags & { fixtures?: string }) => {
    await serve(load(opts), fail, opts.fixtures)
  })

program
  .command('usersig')
  .description('print a UserSig for a UserID, signed with the key the server uses')
  .argument('<userId>', 'the UserID the UserSig is for')
  .option('--app <sdkAppId>', 'the app (default: the only or first configured app)')
  .option('--expire <seconds>', 'validity in seconds', String(DEFAULT_EXPIRE_SECONDS))
  .option('-c, --config <file>', 'config file: .json, .yaml or .yml (env RECEIPTD_CONFIG)')
  .option('-d, --data <dir>', 'data folder of the server (default ./data; env RECEIPTD_DATA)')
  .option('--sdkappid <id>', 'SDKAppID of the development app (env RECEIPTD_SDKAPPID)')
  .option('--secret-key <key>', 'secret key of the development app (env RECEIPTD_SECRET_KEY)')
  .exitOverride()
  .action((userId: string, opts: { app?: string; expire: string } & ConfigFlags) => {
    const id = checkUserId(userId)
    if (!id.ok) fail(new ConfigError(`<userId>: the UserID ${JSON.stringify(userId)} ${id.reason}`))
    if (!/^\d{1,10}$/.test(opts.expire) || Number(opts.expire) < 1) {
      fail(new ConfigError('--expire: expected a whole number of seconds, at least 1'))
    }
    const config = load(opts)
    let resolved
    try {
      resolved = resolveApps(config, { create: false })
    } catch (e) {
      fail(e)
    }
    const apps: readonly AppConfig[] = resolved.apps
    const app = opts.app === undefined ? apps[0] : apps.find((a) => String(a.sdkAppId) === opts.app)
    if (app === undefined) fail(new ConfigError(`--app: no app ${opts.app} in the config`))
    const sig = signUserSig({
      sdkAppId: app.sdkAppId,
      secretKey: app.secretKey,
      identifier: userId,
      expireSeconds: Number(opts.expire),
      nowSeconds: Math.floor(Date.now() / 1000),
    })
    // Where the key came from, on stderr so stdout stays the bare UserSig.
    const source = resolved.keySource
    const from =
      source === undefined
        ? `app ${app.sdkAppId} of ${config.configFile}`
        : source.kind === 'file'
          ? `the development app kept in ${source.path} (SDKAppID ${app.sdkAppId}); a server started with --memory or another --data uses another key`
          : `the key given by --secret-key or RECEIPTD_SECRET_KEY (SDKAppID ${app.sdkAppId})`
    process.stderr.write(`receiptd: signed with ${from}\n`)
    process.stdout.write(sig + '\n')
  })

serveOptions(
  program
    .command('config')
    .description('configuration tools')
    .exitOverride()
    .command('print')
    .description('print the configuration serve would run with (same flags), secrets masked')
    .exitOverride(),
).action((opts: ConfigFlags) => {
  let shown
  try {
    shown = effectiveConfig(load(opts))
  } catch (e) {
    fail(e)
  }
  process.stdout.write(JSON.stringify(shown, null, 2) + '\n')
})

try {
  await program.parseAsync()
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and --version exit 0; every other usage error is a settings error (exit 2).
    process.exit(e.exitCode === 0 ? 0 : EXIT.settings)
  }
  fail(e)
}
