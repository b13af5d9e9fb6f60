/**
 * One truth on two engines: the same random sequence of store operations runs on a SQLite store
 * and a PostgreSQL store in this one process, and after every step the answers and a normalised
 * dump of every table of the app must be equal (design.md "Style": the two stores are held to one
 * truth by a differential test). Runs in the postgres project, which has a database.
 */
import fc from 'fast-check'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserId } from '../../src/domain/accounts/user-id.js'
import type { GroupId } from '../../src/domain/groups/group-id.js'
import { PgStore } from '../../src/store/postgres/pg-store.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { defaults } from '../../src/config/config.js'
import { dropSchema, freshSchema, TEST_STORE } from '../helpers/stores.js'
import { dumpPostgres, dumpSqlite, postgresTables, sqliteTables } from '../helpers/table-dump.js'
import { advance, apply, plain, type RunState } from './differential-apply.js'
import { opArb, type Op } from './differential-ops.js'

const url = process.env.RECEIPTD_TEST_DATABASE_URL
const enabled = TEST_STORE === 'postgres' && url !== undefined && url !== ''
if (TEST_STORE === 'postgres' && !enabled) {
  process.stderr.write(
    '\n  differential test SKIPPED: set RECEIPTD_TEST_DATABASE_URL to compare SQLite with PostgreSQL\n\n',
  )
}

/** Each run is an app of its own on the same two stores, so runs need no fresh database. */
let nextApp = 1_500_000_000

/** Every run starts with accounts and a group, so the random steps have something to act on. */
const START: Op[] = [
  { kind: 'import', ids: ['u0', 'u1', 'u2', 'u3'] as UserId[], nick: undefined },
  { kind: 'create', group: 'g0' as GroupId, owner: 'u0' as UserId, members: ['u1', 'u2'] as UserId[] },
]

describe.skipIf(!enabled)(
  'differential: SQLite and PostgreSQL give the same answers and keep the same rows',
  () => {
    let sqlite: SqliteStore
    let postgres: PgStore
    let client: pg.Client
    let schema: string
    let tables: string[]

    beforeAll(async () => {
      schema = freshSchema()
      sqlite = new SqliteStore({ dataDir: undefined, durability: 'default' })
      postgres = await PgStore.open({ ...defaults.store.postgres, url: url!, schema, poolMax: 4 })
      client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
      await client.connect()
      tables = sqliteTables(sqlite.database)
    })

    afterAll(async () => {
      await client?.end()
      await postgres?.close()
      await sqlite?.close()
      if (schema !== undefined) await dropSchema(url!, schema)
    })

    it('both engines have the same tables and columns', async () => {
      expect(await postgresTables(client)).toEqual(tables)
      for (const t of tables) {
        const lite = (
          sqlite.database.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]
        ).sort()
        const { rows } = await client.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
          [t],
        )
        expect(rows.map((r) => r.column_name).sort(), t).toEqual(lite)
      }
    })

    it('every step of a random sequence answers and stores alike', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 20 }), async (ops) => {
          const app = nextApp++
          const state: RunState = { now: 1_700_000_000, sent: [] }
          for (const [step, op] of [...START, ...ops].entries()) {
            const where = `step ${step}: ${JSON.stringify(op)}`
            const lite = await settle(apply(sqlite, app, op, state))
            const pgAnswer = await settle(apply(postgres, app, op, state))
            expect(pgAnswer, `answer of ${where}`).toEqual(lite)
            const liteRows = dumpSqlite(sqlite.database, tables, app)
            const pgRows = await dumpPostgres(client, tables, app)
            for (const t of tables) expect(pgRows[t], `table ${t} after ${where}`).toEqual(liteRows[t])
            if (!('error' in (lite as object))) advance(state, op, (lite as { value: unknown }).value)
          }
        }),
        { numRuns: 30 },
      )
    })
  },
)

/** The answer as plain data, or that it failed (the texts of store errors differ by engine). */
async function settle(p: Promise<unknown>): Promise<{ value: unknown } | { error: true }> {
  try {
    return { value: plain(await p) }
  } catch {
    return { error: true }
  }
}
