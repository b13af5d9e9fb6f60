/**
 * `receiptd config print`: the configuration `serve` would run with given the same flags,
 * variables and file, with the apps it would serve (the development app included, read from the
 * data folder but never created by printing) and every secret masked.
 */
import type { Config } from '../config/config.js'
import { DEV_APP_FILE, resolveApps } from '../config/dev-app.js'
import { ConfigError } from '../config/checks.js'
import { printableConfig } from '../config/load.js'
import { join } from 'node:path'

export function effectiveConfig(config: Config): unknown {
  const printable = printableConfig(config) as Record<string, unknown>
  let apps: unknown
  try {
    const resolved = resolveApps(config, { create: false })
    const shown = printableConfig({ ...config, apps: resolved.apps }) as { apps: Record<string, unknown>[] }
    apps =
      resolved.keySource?.kind === 'random'
        ? shown.apps.map((a) => ({
            ...a,
            secretKey: '(a new random key on every start, printed in the banner)',
          }))
        : shown.apps
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e
    // No app kept yet: serve would create the development app on its first start.
    apps = [
      {
        sdkAppId: config.devApp?.sdkAppId ?? 1400000000,
        secretKey: `(a random key, created in ${join(config.store.dataDir, DEV_APP_FILE)} on the first start)`,
        admins: config.devApp?.admins ?? ['administrator'],
      },
    ]
  }
  const { devApp: _devApp, ...rest } = printable
  return { ...rest, apps }
}
