/**
 * An instance that dies hands its webhooks to the others: three receiptd processes share one
 * PostgreSQL schema; conversations are written through all of them while the receiver holds every
 * request open, so each conversation's first event is leased and in flight. The instance holding
 * the most leases is killed with SIGKILL; once its leases run out another instance sends those
 * events again, and then everything after them, each conversation still in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { afterEventCommands } from '../../src/webhooks/events.js'
import { OK_ANSWER, Receiver } from '../helpers/receiver.js'
import { dropSchema, freshSchema, TEST_STORE, testDatabaseUrl } from '../helpers/stores.js'
import { expectArrivalsMatch, outboxState, settledOutbox } from './deliveries.js'
import { call, startInstances, stopInstances, type Instance } from './instances.js'

const USERS = Array.from({ length: 12 }, (_, i) => `u${i}`)
/** Six conversations, u0–u1, u2–u3 …; a conversation is one ordering key whoever sends. */
const PAIRS = Array.from({ length: USERS.length / 2 }, (_, i) => [USERS[2 * i]!, USERS[2 * i + 1]!] as const)
const LEASE_MS = 6000

describe.skipIf(TEST_STORE !== 'postgres')('an instance killed while it holds webhooks', () => {
  let instances: Instance[] = []
  let receiver: Receiver
  const url = TEST_STORE === 'postgres' ? testDatabaseUrl() : ''
  const schema = freshSchema()

  beforeAll(async () => {
    receiver = await Receiver.start()
    instances = await startInstances(3, url, schema, {
      callback: {
        url: receiver.url,
        commands: afterEventCommands,
        afterEventTimeoutMs: 3000,
        retries: 5,
        retryBackoffMs: 50,
      },
      webhooks: { leaseMs: LEASE_MS, pollIntervalMs: 200 },
    })
  }, 60_000)
  afterAll(async () => {
    await stopInstances(instances)
    await receiver.close()
    await dropSchema(url, schema)
  })

  let random = 1
  /** A message of the conversation, in the direction `round` picks. */
  const send = async (instance: Instance, [a, b]: readonly [string, string], round: number) => {
    const [from, to] = round % 2 === 0 ? [a, b] : [b, a]
    const r = await call(instance.url, 'openim/sendmsg', {
      From_Account: from,
      To_Account: to,
      MsgRandom: random++,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${random}` } }],
    })
    expect(r).toMatchObject({ ErrorCode: 0 })
  }

  it(
    'delivers the dead instance’s leased and pending events after its leases run out',
    { timeout: 90_000 },
    async () => {
      receiver.answer = () => 'hang'
      expect(
        await call(instances[0]!.url, 'im_open_login_svc/multiaccount_import', { Accounts: USERS }),
      ).toMatchObject({ ErrorCode: 0 })
      // Three messages per conversation, each written through another instance.
      for (let round = 0; round < 3; round++) {
        await Promise.all(PAIRS.map((p, i) => send(instances[(i + round) % instances.length]!, p, round)))
      }
      // Each conversation's head is leased and its request open; nothing else can be claimed.
      await receiver.waitFor((r) => r.length >= PAIRS.length)
      let leased: { id: number; pid: number; until: number }[] = []
      for (const until = Date.now() + 10_000; leased.length < PAIRS.length;) {
        if (Date.now() > until) throw new Error(`only ${leased.length} events leased`)
        leased = (await outboxState(url, schema))
          .filter((r) => r.lease_owner !== null)
          .map((r) => ({ id: r.id, pid: Number(r.lease_owner!.split(':').at(-2)), until: r.lease_until_ms }))
      }
      expect(receiver.received).toHaveLength(PAIRS.length)

      const holders = instances.map((i) => leased.filter((l) => l.pid === i.child.pid).length)
      const victim = instances[holders.indexOf(Math.max(...holders))]!
      const victimLeases = leased.filter((l) => l.pid === victim.child.pid)
      expect(victimLeases.length).toBeGreaterThan(0)
      const gone = new Promise((resolve) => victim.child.once('exit', resolve))
      victim.child.kill('SIGKILL')
      await gone
      receiver.answer = () => ({ status: 200, body: OK_ANSWER })

      // More events of the same conversations, through the survivors only.
      const survivors = instances.filter((i) => i !== victim)
      await Promise.all(PAIRS.map((p, i) => send(survivors[i % survivors.length]!, p, 3)))

      const outbox = await settledOutbox(url, schema)
      expect(outbox).toHaveLength(PAIRS.length * 4)
      for (const l of victimLeases) {
        const row = outbox.find((r) => r.id === l.id)!
        expect(
          row.first_started_ms,
          `event ${l.id} was sent again only after its lease ran out`,
        ).toBeGreaterThanOrEqual(l.until)
      }
      expectArrivalsMatch(receiver.received, outbox, new Set(victimLeases.map((l) => l.id)))
    },
  )
})
