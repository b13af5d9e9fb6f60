/** Opens the store the config asks for. SQLite, embedded, is the default. */
import type { StoreConfig } from '../config/config.js'
import { SqliteStore } from './sqlite/sqlite-store.js'
import type { Store } from './store.js'

export async function openStore(config: StoreConfig): Promise<Store> {
  return new SqliteStore({
    dataDir: config.memory ? undefined : config.dataDir,
    durability: config.durability,
  })
}
