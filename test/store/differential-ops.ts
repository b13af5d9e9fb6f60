/**
 * The operations of the differential test: random store calls in the shapes the commands make
 * them (sendmsg, batchsendmsg, importmsg, admin_msgwithdraw, admin_set_msg_read,
 * c2c_msg_read_receipt, the group commands, recentcontact/delete), each one transaction or one snapshot, over a few
 * accounts and groups so that they meet: repeats, collisions, leaves and rejoins, recalls of read
 * messages, destroys of groups with read state.
 */
import fc from 'fast-check'
import type { UserId } from '../../src/domain/accounts/user-id.js'
import type { GroupId } from '../../src/domain/groups/group-id.js'

const USERS = ['u0', 'u1', 'u2', 'u3'] as UserId[]
const GROUPS = ['g0', 'g1'] as GroupId[]

const user = fc.constantFrom(...USERS)
const users = fc.uniqueArray(user, { minLength: 1, maxLength: 4 })
const group = fc.constantFrom(...GROUPS)
/** Texts where engines could differ: empty, plain, JSON-looking, U+0000, a lone surrogate. */
const cloud = fc.constantFrom('', 'abc', '"q"', 'a\u0000b', '\ud800')
const small = fc.integer({ min: 0, max: 3 })

export type Op =
  | { kind: 'import'; ids: UserId[]; nick: string | undefined }
  | { kind: 'delete'; ids: UserId[] }
  | { kind: 'tick'; seconds: number }
  | {
      kind: 'send'
      via: 'steps' | 'send'
      from: UserId
      to: UserId
      seq: number
      random: number
      cloud: string
      receipt: boolean
      noUnread: boolean
      noLastMsg: boolean
      senderSees: boolean
    }
  | { kind: 'batch'; from: UserId; to: UserId[]; random: number; cloud: string }
  | { kind: 'importmsg'; from: UserId; to: UserId; back: number; random: number; history: boolean }
  | { kind: 'withdraw'; key: number }
  | { kind: 'read'; reader: UserId; peer: UserId; back: number }
  | { kind: 'ack'; keys: number[]; reader: UserId }
  | { kind: 'create'; group: GroupId; owner: UserId; members: UserId[] }
  | { kind: 'join'; group: GroupId; ids: UserId[] }
  | { kind: 'leave'; group: GroupId; ids: UserId[] }
  | {
      kind: 'gsend'
      group: GroupId
      sender: UserId
      random: number
      cloud: string | undefined
      receipt: boolean
      onlineOnly: boolean
    }
  | { kind: 'receipt'; group: GroupId; reader: UserId; seqs: number[] }
  | { kind: 'recall'; group: GroupId; seqs: number[] }
  | { kind: 'destroy'; group: GroupId }
  | { kind: 'setUnread'; group: GroupId; userId: UserId; unread: number }
  | { kind: 'forget'; owner: UserId; peer: UserId; clear: boolean }
  | { kind: 'forgetGroup'; owner: UserId; group: GroupId }
  | { kind: 'look'; userId: UserId; peers: UserId[]; group: GroupId; seq: number; read: boolean }
  | { kind: 'count'; userId: UserId; peers: UserId[]; group: GroupId; seqs: number[] }

const seqs = fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 5 })

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('count' as const), userId: user, peers: users, group, seqs }),
  fc.record({
    kind: fc.constant('import' as const),
    ids: users,
    nick: fc.option(fc.constant('n'), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('delete' as const), ids: users }),
  fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 2 }) }),
  {
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      via: fc.constantFrom('steps' as const, 'send' as const),
      from: user,
      to: user,
      seq: small,
      random: small,
      cloud,
      receipt: fc.boolean(),
      noUnread: fc.boolean(),
      noLastMsg: fc.boolean(),
      senderSees: fc.boolean(),
    }),
    weight: 3,
  },
  fc.record({ kind: fc.constant('batch' as const), from: user, to: users, random: small, cloud }),
  fc.record({
    kind: fc.constant('importmsg' as const),
    from: user,
    to: user,
    back: small,
    random: small,
    history: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('withdraw' as const), key: fc.nat() }),
  fc.record({ kind: fc.constant('read' as const), reader: user, peer: user, back: small }),
  fc.record({ kind: fc.constant('ack' as const), keys: fc.array(fc.nat(), { maxLength: 3 }), reader: user }),
  fc.record({
    kind: fc.constant('create' as const),
    group,
    owner: user,
    members: fc.uniqueArray(user, { maxLength: 4 }),
  }),
  { arbitrary: fc.record({ kind: fc.constant('join' as const), group, ids: users }), weight: 2 },
  fc.record({ kind: fc.constant('leave' as const), group, ids: users }),
  {
    arbitrary: fc.record({
      kind: fc.constant('gsend' as const),
      group,
      sender: user,
      random: small,
      cloud: fc.option(cloud, { nil: undefined }),
      receipt: fc.boolean(),
      onlineOnly: fc.boolean(),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('receipt' as const), group, reader: user, seqs }), weight: 3 },
  fc.record({ kind: fc.constant('recall' as const), group, seqs }),
  fc.record({ kind: fc.constant('destroy' as const), group }),
  fc.record({ kind: fc.constant('setUnread' as const), group, userId: user, unread: small }),
  fc.record({ kind: fc.constant('forget' as const), owner: user, peer: user, clear: fc.boolean() }),
  fc.record({ kind: fc.constant('forgetGroup' as const), owner: user, group }),
  {
    arbitrary: fc.record({
      kind: fc.constant('look' as const),
      userId: user,
      peers: users,
      group,
      seq: fc.integer({ min: 1, max: 7 }),
      read: fc.boolean(),
    }),
    weight: 2,
  },
)
