/**
 * The store kinds tests run against, chosen by the environment (the vitest projects set it):
 * RECEIPTD_TEST_STORE=postgres with RECEIPTD_TEST_DATABASE_URL, else SQLite. Each PostgreSQL user
 * gets a schema of its own, so test files can run at once on one database.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { defaults } from '../../src/config/config.js'
import { PgStore } from '../../src/store/postgres/pg-store.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store, StoreKind } from '../../src/store/store.js'

export const TEST_STORE: StoreKind = process.env.RECEIPTD_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite'

/** The kinds a store contract suite runs for in this project (filtered by the environment). */
export const STORES: readonly StoreKind[] = [TEST_STORE]

export function testDatabaseUrl(): string {
  const url = process.env.RECEIPTD_TEST_DATABASE_URL
  if (url === undefined || url === '') {
    throw new Error('RECEIPTD_TEST_STORE=postgres needs RECEIPTD_TEST_DATABASE_URL=postgres://…')
  }
  return url
}

/** A schema name no other test (in any process) uses. */
export function freshSchema(): string {
  return `receiptd_test_${randomBytes(6).toString('hex')}`
}

export async function withClient<T>(
  url: string,
  schema: string,
  fn: (c: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, 'public', (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
}

export interface TestStore {
  store: Store
  /** Closes the store and drops what it created. */
  close(): Promise<void>
}

/** A fresh, empty store of `kind`. */
export const openTestStore = (kind: StoreKind): Promise<TestStore> => opens[kind]()

const opens: Record<StoreKind, () => Promise<TestStore>> = {
  sqlite: async () => {
    const store = new SqliteStore({ dataDir: undefined, durability: 'default' })
    return { store, close: () => store.close() }
  },
  postgres: async () => {
    const url = testDatabaseUrl()
    const schema = freshSchema()
    const store = await PgStore.open({ ...defaults.store.postgres, url, schema, poolMax: 8 })
    return {
      store,
      close: async () => {
        await store.close()
        await dropSchema(url, schema)
      },
    }
  },
}
