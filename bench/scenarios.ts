/**
 * The benchmark scenarios: each names a v4 command, whether it writes or reads (the targets
 * differ: writes ≥ 0.5 of the bare baseline, reads ≥ 0.7), how to prepare data outside the
 * measurement, and the body of the i-th request. Setup runs once, in order, against receiptd.
 */
import { call } from './harness.js'

export interface Scenario {
  name: string
  kind: 'write' | 'read'
  path: string
  setup?(url: string): Promise<void>
  body(i: number): unknown
}

const MULTI = 'im_open_login_svc/multiaccount_import'
const G = 'group_open_http_svc/'
const text = (s: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: s } }]

/** Users `${prefix}0` … `${prefix}${count - 1}`, 100 per call. */
export async function importUsers(url: string, prefix: string, count: number): Promise<void> {
  const calls: Promise<unknown>[] = []
  for (let i = 0; i < count; i += 100) {
    const Accounts = Array.from({ length: Math.min(100, count - i) }, (_, k) => `${prefix}${i + k}`)
    calls.push(call(url, MULTI, { Accounts }))
    if (calls.length === 16) await Promise.all(calls.splice(0))
  }
  await Promise.all(calls)
}

const USERS = 1000
const RECIPIENTS = 500
const BATCHES = 200
const u = (i: number) => `u${i % USERS}`
/** MsgKeys of the batches `sender` sent to u0…u499 with IsNeedReadReceipt, for receipts to acknowledge. */
const batchKeys: string[] = []

async function c2cSetup(url: string): Promise<void> {
  await importUsers(url, 'u', USERS)
  await call(url, 'im_open_login_svc/account_import', { UserID: 'sender' })
  for (let b = 0; b < BATCHES; b++) {
    const r = await call(url, 'openim/batchsendmsg', {
      From_Account: 'sender',
      To_Account: Array.from({ length: RECIPIENTS }, (_, k) => u(k)),
      MsgRandom: b,
      IsNeedReadReceipt: 1,
      MsgBody: text(`batch ${b}`),
    })
    batchKeys.push(r.MsgKey as string)
  }
}

/** A group of `members` members m0…, with `messages` receipt messages sent by m0. */
async function groupSetup(url: string, groupId: string, members: number, messages: number): Promise<void> {
  await importUsers(url, 'm', members)
  await call(url, G + 'create_group', {
    GroupId: groupId,
    Type: 'Public',
    Name: groupId,
    Owner_Account: 'm0',
  })
  const adds: Promise<unknown>[] = []
  for (let i = 1; i < members; i += 300) {
    const MemberList = Array.from({ length: Math.min(300, members - i) }, (_, k) => ({
      Member_Account: `m${i + k}`,
    }))
    adds.push(call(url, G + 'add_group_member', { GroupId: groupId, Silence: 1, MemberList }))
    if (adds.length === 8) await Promise.all(adds.splice(0))
  }
  await Promise.all(adds)
  for (let s = 0; s < messages; s++) {
    await call(url, G + 'send_group_msg', {
      GroupId: groupId,
      From_Account: 'm0',
      Random: s,
      NeedReadReceipt: 1,
      MsgBody: text(`receipt ${s}`),
    })
  }
}

const GROUP_MESSAGES = 1000
/** The seq of the 100,000-member group's message that one member has read. */
let oneReaderSeq = 0
/** 50 consecutive seqs, moving through the group's receipt messages. */
const seqWindow = (i: number) =>
  Array.from({ length: 50 }, (_, k) => ({ MsgSeq: ((i * 50 + k) % GROUP_MESSAGES) + 1 }))

const receiptScenarios = (members: number): Scenario[] => {
  const groupId = `bench${members}`
  return [
    {
      name: `group_msg_receipt, ${members.toLocaleString('en-US')} members`,
      kind: 'write',
      path: G + 'group_msg_receipt',
      setup: (url) => groupSetup(url, groupId, members, GROUP_MESSAGES),
      body: (i) => ({
        GroupId: groupId,
        From_Account: `m${1 + (i % (members - 1))}`,
        MsgSeqList: seqWindow(i),
      }),
    },
    {
      name: `get_group_msg_receipt, ${members.toLocaleString('en-US')} members`,
      kind: 'read',
      path: G + 'get_group_msg_receipt',
      body: (i) => ({ GroupId: groupId, MsgSeqList: seqWindow(i) }),
    },
  ]
}

export const scenarios: Scenario[] = [
  {
    name: 'sendmsg',
    kind: 'write',
    path: 'openim/sendmsg',
    setup: c2cSetup,
    body: (i) => ({
      From_Account: u(i),
      To_Account: u(i + 1),
      MsgRandom: i,
      IsNeedReadReceipt: 1,
      MsgBody: text('hi'),
    }),
  },
  {
    // Every request to one conversation, all within a few seconds: the same-second duplicate check
    // and the conversation's counters must not grow with what the conversation already holds.
    name: 'sendmsg, one conversation',
    kind: 'write',
    path: 'openim/sendmsg',
    body: (i) => ({
      From_Account: 'u0',
      To_Account: 'u1',
      MsgRandom: i,
      IsNeedReadReceipt: 1,
      MsgBody: text('hi'),
    }),
  },
  {
    name: 'c2c_msg_read_receipt',
    kind: 'write',
    path: 'openim/c2c_msg_read_receipt',
    body: (i) => {
      const reader = u(i % RECIPIENTS)
      const key = batchKeys[Math.floor(i / RECIPIENTS) % BATCHES]
      return {
        Operator_Account: reader,
        Peer_Account: 'sender',
        C2CMsgInfo: [{ From_Account: 'sender', To_Account: reader, MsgKey: key }],
      }
    },
  },
  {
    name: 'admin_set_msg_read',
    kind: 'write',
    path: 'openim/admin_set_msg_read',
    body: (i) => ({ Report_Account: u(i % RECIPIENTS), Peer_Account: 'sender' }),
  },
  {
    name: 'get_c2c_unread_msg_num',
    kind: 'read',
    path: 'openim/get_c2c_unread_msg_num',
    body: (i) => ({ To_Account: u(i), Peer_Account: ['sender', u(i + 1)] }),
  },
  {
    name: 'send_group_msg, 200 members',
    kind: 'write',
    path: G + 'send_group_msg',
    setup: (url) => groupSetup(url, 'send200', 200, 0),
    body: (i) => ({
      GroupId: 'send200',
      From_Account: `m${i % 200}`,
      Random: i,
      NeedReadReceipt: 1,
      MsgBody: text('hello'),
    }),
  },
  ...receiptScenarios(200),
  ...receiptScenarios(100_000),
  {
    // A new message one member has read: Filter 0 lists that one member, Filter 1 all the others.
    name: 'get_group_msg_receipt_detail, 100,000 members, 1 reader',
    kind: 'read',
    path: G + 'get_group_msg_receipt_detail',
    setup: async (url) => {
      const sent = await call(url, G + 'send_group_msg', {
        GroupId: 'bench100000',
        From_Account: 'm0',
        Random: 1_000_000,
        NeedReadReceipt: 1,
        MsgBody: text('read by one'),
      })
      oneReaderSeq = sent.MsgSeq as number
      await call(url, G + 'group_msg_receipt', {
        GroupId: 'bench100000',
        From_Account: 'm99999',
        MsgSeqList: [{ MsgSeq: oneReaderSeq }],
      })
    },
    body: (i) => ({
      GroupId: 'bench100000',
      MsgSeq: oneReaderSeq,
      Filter: i % 2,
      Cursor: '',
      Count: 200,
    }),
  },
  {
    name: 'get_group_msg_receipt_detail, 100,000 members',
    kind: 'read',
    path: G + 'get_group_msg_receipt_detail',
    body: (i) => ({
      GroupId: 'bench100000',
      MsgSeq: (i % GROUP_MESSAGES) + 1,
      Filter: i % 2,
      Cursor: '',
      Count: 200,
    }),
  },
]
