/**
 * PostgreSQL only: outbox ids come from a sequence, so two transactions writing one ordering key
 * could commit in the opposite order of their ids. The store makes the later writer of a key wait
 * for the earlier one's commit before it draws its id; this holds the earlier one open between its
 * INSERT and its COMMIT and checks that the later one cannot be claimed ahead of it.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaults } from '../../src/config/config.js'
import { PgOutbox } from '../../src/store/postgres/pg-outbox.js'
import { PgStore } from '../../src/store/postgres/pg-store.js'
import { reportEvents } from '../helpers/events.js'
import { dropSchema, freshSchema, TEST_STORE, testDatabaseUrl } from '../helpers/stores.js'

const APP = 1400000000

describe.skipIf(TEST_STORE !== 'postgres')('PostgreSQL outbox ids per key', () => {
  const url = TEST_STORE === 'postgres' ? testDatabaseUrl() : ''
  const schema = freshSchema()
  let store: PgStore
  let early: pg.Client

  beforeAll(async () => {
    store = await PgStore.open({ ...defaults.store.postgres, url, schema, poolMax: 4 })
    early = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
    await early.connect()
  })
  afterAll(async () => {
    await early.end()
    await store.close()
    await dropSchema(url, schema)
  })

  const claim = () =>
    store.deliveryQueue.claim({
      owner: 'x',
      nowMs: Date.now(),
      leaseMs: 60_000,
      limit: 10,
      wanted: () => true,
    })
  const unread = (body: string) => (JSON.parse(body) as { UnreadMsgNum: number }).UnreadMsgNum

  it('keeps a key in commit order when an earlier writer commits after a later one starts', async () => {
    const [first, second] = reportEvents('k', 2)
    await early.query('BEGIN')
    const outbox = new PgOutbox(early, APP, { outboxChanged: false })
    await outbox.enqueue(first!)
    await outbox.flush()

    let laterCommitted = false
    const later = store
      .transaction(APP, (tx) => tx.outbox.enqueue(second!))
      .then(() => (laterCommitted = true))
    await new Promise((r) => setTimeout(r, 200))
    expect(laterCommitted, 'the later writer waits for the earlier one').toBe(false)
    expect(await claim()).toEqual([])

    await early.query('COMMIT')
    await later
    const [head] = await claim()
    expect(unread(head!.body)).toBe(0)
    expect(await claim()).toEqual([])
    await store.deliveryQueue.record(
      'x',
      head!,
      { startedMs: 1, httpStatus: 200, latencyMs: 1, error: undefined, answerCode: 0 },
      { status: 'delivered', nowMs: Date.now() },
    )
    const [next] = await claim()
    expect(next!.id).toBeGreaterThan(head!.id)
    expect(unread(next!.body)).toBe(1)
  })
})
