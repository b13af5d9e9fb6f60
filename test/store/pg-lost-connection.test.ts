/**
 * A transaction whose connection dies before COMMIT is sent runs once more on a fresh connection
 * (issue 10 point 1): the server rolled the first run back, so the second cannot apply anything
 * twice. Its backend is terminated while it waits on a row another session holds. A one-statement
 * request (TxShape 'one-statement') follows the same rules: a read is asked again, a write whose
 * statement was already sent (as a COMMIT would have been) fails rather than run twice.
 */
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaults } from '../../src/config/config.js'
import type { UserId } from '../../src/domain/accounts/user-id.js'
import type { GroupId } from '../../src/domain/groups/group-id.js'
import type { NewMessage } from '../../src/domain/c2c/rules.js'
import { formatMsgKey } from '../../src/domain/c2c/msg-key.js'
import { ADVISORY_KEY } from '../../src/store/postgres/pg-locks.js'
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

  const [A, B] = ['a', 'b'] as [UserId, UserId]
  const message = (msgTime: number): NewMessage => {
    const parts = { msgSeq: 1, msgRandom: 2, msgTime }
    return {
      from: A,
      to: B,
      ...parts,
      msgKey: formatMsgKey(parts),
      body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }],
      cloudCustomData: '',
      needReadReceipt: false,
      senderSees: true,
      recipientSees: true,
      counted: true,
      uncounted: undefined,
    }
  }

  const importBoth = () =>
    store.transaction(APP, (tx) =>
      tx.accounts.importAccounts(
        [A, B].map((userId) => ({ userId, nick: undefined, faceUrl: undefined })),
        1,
      ),
    )

  it('asks a one-statement read again on a fresh connection', async () => {
    await importBoth()
    await holder.query('LOCK TABLE c2c_conversations IN ACCESS EXCLUSIVE MODE')
    const counts = store.read(APP, (tx) => tx.c2c.unreadCounts(B, [A]), 'one-statement')
    await terminateWaiter()
    await holder.query('ROLLBACK')
    const answer = await counts
    expect(answer).toBeDefined()
    expect(answer).toEqual(await store.read(APP, (tx) => tx.c2c.unreadCounts(B, [A])))
  })

  it('fails a one-statement write lost after it was sent, applies nothing, and serves again', async () => {
    await store.transaction(APP, (tx) =>
      tx.accounts.importAccounts(
        [A, B].map((userId) => ({ userId, nick: undefined, faceUrl: undefined })),
        1,
      ),
    )
    // The conversation's lock, as a concurrent send of the same conversation holds it.
    await holder.query(`SELECT pg_advisory_xact_lock(${ADVISORY_KEY})`, [`c2c\u0001${A}\u0001${B}`, APP])
    // Its outcome is caught at once: it fails while the test still holds the lock.
    const sent = store
      .transaction(APP, (tx) => tx.c2c.send(message(100), [B, A]), 'one-statement')
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    await terminateWaiter()
    await holder.query('ROLLBACK')
    expect(await sent).toMatchObject({ code: '57P01' })
    const total = () => store.read(APP, (tx) => tx.c2c.unreadTotal(B))
    expect(await total()).toBe(0)
    const again = await store.transaction(APP, (tx) => tx.c2c.send(message(101), [B, A]), 'one-statement')
    expect(again).toEqual({ added: true, recipientUnreadTotal: 1 })
  })
})
