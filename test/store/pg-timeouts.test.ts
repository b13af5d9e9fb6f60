/**
 * No request waits on PostgreSQL forever (issue 10 point 2): a statement that waits longer than
 * `statementTimeoutMs` (here on a row another session holds) is cancelled, a caller that cannot
 * get a pooled connection within `acquireTimeoutMs` gives up, the health check answers within its
 * own bound meanwhile, and the store serves normally once the holder lets go.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaults } from '../../src/config/config.js'
import type { GroupId } from '../../src/domain/groups/group-id.js'
import { PgStore } from '../../src/store/postgres/pg-store.js'
import { dropSchema, freshSchema, TEST_STORE, testDatabaseUrl } from '../helpers/stores.js'
import pg from 'pg'

const APP = 1400000000
const G = 'held' as GroupId

describe.runIf(TEST_STORE === 'postgres')('PostgreSQL timeouts', () => {
  const url = TEST_STORE === 'postgres' ? testDatabaseUrl() : ''
  let schema: string
  let store: PgStore
  let holder: pg.Client

  async function open(settings: { statementTimeoutMs: number; acquireTimeoutMs: number; poolMax: number }) {
    store = await PgStore.open({ ...defaults.store.postgres, url, schema, ...settings })
    await store.transaction(APP, (tx) =>
      tx.groups.createGroup(
        { groupId: G, type: 'Public', name: 'held', owner: undefined, maxMembers: 10, createdTime: 1 },
        [],
      ),
    )
    // Another session holds the group's row, as a transaction stuck elsewhere would.
    await holder.query('BEGIN')
    await holder.query('SELECT 1 FROM groups WHERE group_id = $1 FOR UPDATE', [G])
  }

  beforeEach(async () => {
    schema = freshSchema()
    holder = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
    await holder.connect()
  })
  afterEach(async () => {
    await holder.end()
    await store.close()
    await dropSchema(url, schema)
  })

  const timed = async (p: Promise<unknown>) => {
    const started = performance.now()
    const error = await p.then(
      () => undefined,
      (e: unknown) => e as { code?: string; message: string },
    )
    return { error, ms: performance.now() - started }
  }

  it('cancels a statement that waits past statementTimeoutMs, and serves again after', async () => {
    await open({ statementTimeoutMs: 300, acquireTimeoutMs: 5000, poolMax: 2 })
    const { error, ms } = await timed(store.transaction(APP, (tx) => tx.groups.lock(G)))
    expect(error?.code).toBe('57014')
    expect(ms).toBeGreaterThanOrEqual(250)
    expect(ms).toBeLessThan(1500)
    await holder.query('ROLLBACK')
    expect((await store.transaction(APP, (tx) => tx.groups.lock(G)))?.groupId).toBe(G)
    await store.check()
  })

  it('gives up on a pooled connection after acquireTimeoutMs, and the health check answers meanwhile', async () => {
    await open({ statementTimeoutMs: 3000, acquireTimeoutMs: 300, poolMax: 1 })
    // Takes the only connection and waits on the held row.
    const stuck = store.transaction(APP, (tx) => tx.groups.lock(G))
    await new Promise((r) => setTimeout(r, 100))
    const waiting = await timed(store.transaction(APP, (tx) => tx.groups.find(G)))
    expect(waiting.error?.message).toMatch(/timeout/i)
    expect(waiting.ms).toBeLessThan(1500)
    const health = await timed(store.check())
    expect(health.error).toBeDefined()
    expect(health.ms).toBeLessThan(2000)
    await holder.query('ROLLBACK')
    expect((await stuck)?.groupId).toBe(G)
    await store.check()
  })
})
