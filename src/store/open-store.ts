/**
 * Opens the store the config asks for: PostgreSQL when a database URL is given (several instances
 * may share it), else the embedded SQLite, the default.
 */
import type { StoreConfig } from '../config/config.js'
import { PgStore } from './postgres/pg-store.js'
import { SqliteStore } from './sqlite/sqlite-store.js'
import type { Store } from './store.js'

export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.databaseUrl !== undefined) {
    return PgStore.open({ url: config.databaseUrl, ...config.postgres })
  }
  return new SqliteStore({
    dataDir: config.memory ? undefined : config.dataDir,
    durability: config.durability,
  })
}
