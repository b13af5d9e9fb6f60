/**
 * The development app: with no app configured, receiptd runs one app whose values come from
 * `--sdkappid`, `--secret-key` and `--admin` (or their variables) where given, else from
 * `dev-app.json` in the data folder, created with a random secret key on the first start so the
 * UserSigs a developer made yesterday still work. With `--memory` and no `--secret-key`, each start
 * picks a new random key (and the banner prints it).
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { StoreUnavailableError } from '../store/store.js'
import { defaultGroupReceiptTypes, defaultLimits, type AppConfig, type Config } from './config.js'
import { ConfigError } from './checks.js'

export const DEV_APP_FILE = 'dev-app.json'
export const DEV_SDK_APP_ID = 1400000000
const DEFAULT_ADMIN = 'administrator'

/** Where the development app's secret key came from, for the banner and `receiptd usersig`. */
export type KeySource =
  { kind: 'given' } | { kind: 'file'; path: string; created: boolean } | { kind: 'random' }

export interface ResolvedApps {
  apps: readonly AppConfig[]
  /** Set when the apps are the development app, so the caller prints the banner. */
  devApp: AppConfig | undefined
  keySource: KeySource | undefined
}

function devApp(sdkAppId: number, secretKey: string, admins: readonly string[]): AppConfig {
  return {
    sdkAppId,
    secretKey,
    admins,
    callback: undefined,
    limits: { ...defaultLimits },
    groupReceiptTypes: defaultGroupReceiptTypes,
    // Made for trying things out: its data may be reset and loaded from fixtures.
    testSupport: true,
  }
}

interface Saved {
  sdkAppId: number
  secretKey: string
  admins: string[]
}

function readSaved(path: string): Saved | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    if (code === 'ENOTDIR') throw new StoreUnavailableError(dataFolderProblem(dirname(path), e))
    throw new StoreUnavailableError(`cannot read the development app ${path}: ${(e as Error).message}`)
  }
  let saved: Partial<Saved>
  try {
    saved = JSON.parse(text) as Partial<Saved>
  } catch {
    saved = {}
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
  return saved as Saved
}

/**
 * The apps to serve. `create: false` (for `receiptd usersig`) never writes the data folder: with
 * no saved app and no key given there is nothing to sign with, and it says so.
 */
export function resolveApps(config: Config, { create = true }: { create?: boolean } = {}): ResolvedApps {
  if (config.apps.length > 0) return { apps: config.apps, devApp: undefined, keySource: undefined }
  const given = config.devApp
  if (given?.secretKey !== undefined || config.store.memory) {
    const secretKey = given?.secretKey ?? randomBytes(32).toString('hex')
    const app = devApp(given?.sdkAppId ?? DEV_SDK_APP_ID, secretKey, given?.admins ?? [DEFAULT_ADMIN])
    const keySource: KeySource = given?.secretKey !== undefined ? { kind: 'given' } : { kind: 'random' }
    return { apps: [app], devApp: app, keySource }
  }
  const path = join(config.store.dataDir, DEV_APP_FILE)
  const saved = readSaved(path)
  if (saved !== undefined) {
    const app = devApp(given?.sdkAppId ?? saved.sdkAppId, saved.secretKey, given?.admins ?? saved.admins)
    return { apps: [app], devApp: app, keySource: { kind: 'file', path, created: false } }
  }
  if (!create) {
    throw new ConfigError(
      `no development app to sign for: ${path} does not exist and no secret key was given. ` +
        'Give the key the server uses with --secret-key (or RECEIPTD_SECRET_KEY), its config file with --config, ' +
        'or its data folder with --data',
    )
  }
  const app = devApp(
    given?.sdkAppId ?? DEV_SDK_APP_ID,
    randomBytes(32).toString('hex'),
    given?.admins ?? [DEFAULT_ADMIN],
  )
  try {
    mkdirSync(config.store.dataDir, { recursive: true })
    const body = { sdkAppId: app.sdkAppId, secretKey: app.secretKey, admins: app.admins }
    writeFileSync(path, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 })
  } catch (e) {
    throw new StoreUnavailableError(dataFolderProblem(config.store.dataDir, e))
  }
  return { apps: [app], devApp: app, keySource: { kind: 'file', path, created: true } }
}

/** One line on why the data folder cannot be used, from a filesystem error. */
export function dataFolderProblem(dir: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return `the data folder ${dir} is a file, not a folder (or sits under one)`
    case 'EACCES':
    case 'EPERM':
      return `cannot use the data folder ${dir}: permission denied (${code})`
    case 'ENOSPC':
      return `cannot write the data folder ${dir}: the disk is full (ENOSPC)`
    case 'EROFS':
      return `cannot write the data folder ${dir}: the filesystem is read-only (EROFS)`
    case 'EDQUOT':
      return `cannot write the data folder ${dir}: the disk quota is exceeded (EDQUOT)`
    default:
      return `cannot use the data folder ${dir}: ${(e as Error).message}`
  }
}
