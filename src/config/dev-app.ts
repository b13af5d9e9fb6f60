/**
 * The development app: with no app configured, receiptd creates one with a random secret key on its
 * first start and keeps it in the data folder, so the UserSigs a developer made yesterday still work.
 * With `--memory` nothing is kept and each start has a new key.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { defaultGroupReceiptTypes, defaultLimits, type AppConfig, type Config } from './config.js'
import { ConfigError } from './load.js'

export const DEV_APP_FILE = 'dev-app.json'
export const DEV_SDK_APP_ID = 1400000000

function newDevApp(): AppConfig {
  return {
    sdkAppId: DEV_SDK_APP_ID,
    secretKey: randomBytes(32).toString('hex'),
    admins: ['administrator'],
    callback: undefined,
    limits: { ...defaultLimits },
    groupReceiptTypes: defaultGroupReceiptTypes,
    // Made for trying things out: its data may be reset and loaded from fixtures.
    testSupport: true,
  }
}

export interface ResolvedApps {
  apps: readonly AppConfig[]
  /** Set when the apps are the development app, so the caller prints the banner. */
  devApp: AppConfig | undefined
}

export function resolveApps(config: Config): ResolvedApps {
  if (config.apps.length > 0) return { apps: config.apps, devApp: undefined }
  if (config.store.memory) {
    const app = newDevApp()
    return { apps: [app], devApp: app }
  }
  const path = join(config.store.dataDir, DEV_APP_FILE)
  let app: AppConfig
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as {
      sdkAppId: number
      secretKey: string
      admins: string[]
    }
    if (
      typeof saved.sdkAppId !== 'number' ||
      typeof saved.secretKey !== 'string' ||
      !Array.isArray(saved.admins)
    ) {
      throw new ConfigError(
        `${path}: the saved development app is damaged; delete the file to create a new one`,
      )
    }
    app = { ...newDevApp(), sdkAppId: saved.sdkAppId, secretKey: saved.secretKey, admins: saved.admins }
  } catch (e) {
    if (e instanceof ConfigError) throw e
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(`${path}: cannot read the development app (${(e as Error).message})`)
    }
    app = newDevApp()
    mkdirSync(config.store.dataDir, { recursive: true })
    const body = { sdkAppId: app.sdkAppId, secretKey: app.secretKey, admins: app.admins }
    writeFileSync(path, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 })
  }
  return { apps: [app], devApp: app }
}
