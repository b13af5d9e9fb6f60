/**
 * A transaction whose connection dies before COMMIT is sent runs once more on a fresh connection
 * (issue 10 point 1): the server rolled the first run back, so the second cannot apply anything
 * twice. Its backend is terminated while it waits on a row another session holds.
 */
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaults } from '../../src/config/config.js'
import type { UserId } from '../../src/domain/accounts/user-id.js'
import type { GroupId } from '../../src/domain/groups/group-id.js'
import { PgStore } from '../../src/store/postgres/pg-store.js'
import { dropSchema, freshSchema, TEST_STORE, testDatabaseUrl } from '../helpers/stores.js'

const APP = 1400000000
const G = 'held' as GroupId

describe.runIf(TEST_STORE === 'postgres')('a PostgreSQL connection lost inside a transaction', () => {
  const url = TEST_STORE === 'postgres' ? testDatabaseUrl() : ''
  let schema: string
  let store: PgStore
  let holder: pg.Client

  beforeEach(async () => {
    schema = freshSchema()
    store = await PgStore.open({ ...defaults.store.postgres, url, schema, poolMax: 2 })
    await store.transaction(APP, async (tx) => {
      await tx.accounts.importAccounts([{ userId: 'm' as UserId, nick: undefined, faceUrl: undefined }], 1)
      await tx.groups.createGroup(
        { groupId: G, type: 'Public', name: 'held', owner: undefined, maxMembers: 10, createdTime: 1 },
        [],
      )
    })
    holder = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
    await holder.connect()
    await holder.query('BEGIN')
    await holder.query('SELECT 1 FROM groups WHERE group_id = $1 FOR UPDATE', [G])
  })
  afterEach(async () => {
    await holder.end()
    await store.close()
    await dropSchema(url, schema)
  })

  /** Terminates the backend waiting on the held row; resolves once one was terminated. */
  async function terminateWaiter(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const { rows } = await holder.query<{ n: number }>(
        // Only a backend this session blocks: the database may be shared with other tests.
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`,
      )
      if (rows[0]!.n > 0) return
      await new Promise((r) => setTimeout(r, 20))
    }
    throw new Error('no transaction waited on the held row')
  }

  const addMember = () =>
    store.transaction(APP, async (tx) => {
      await tx.groups.lock(G)
      return tx.groups.addMembers(G, [{ userId: 'm' as UserId, role: 'Member' }], 2)
    })

  it('runs it again on a fresh connection, once, and it commits once', async () => {
    const added = addMember()
    await terminateWaiter()
    await holder.query('ROLLBACK')
    expect(await added).toEqual(['m'])
    const group = await store.read(APP, (tx) => tx.groups.find(G))
    expect(group?.memberCount).toBe(1)
  })
})
