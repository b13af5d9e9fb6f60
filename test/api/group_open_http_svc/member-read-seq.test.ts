/**
 * A member's read seq and unread count (spec part 2 §13.5), as get_group_member_info and
 * get_joined_group_list show them: sending, joining, NoUnread, targeted and online-only messages,
 * recalls and set_unread_msg_num.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../helpers/server.js'
import { importAccounts, makeGroup, ok, send } from './helpers.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

/** `{ user: [MsgSeq, UnreadMsgNum] }` of every member, from get_group_member_info. */
async function states(groupId: string): Promise<Record<string, [number, number]>> {
  const r = await ok(server, 'get_group_member_info', {
    GroupId: groupId,
    MemberInfoFilter: ['MsgSeq', 'UnreadMsgNum'],
  })
  const list = r.MemberList as { Member_Account: string; MsgSeq: number; UnreadMsgNum: number }[]
  return Object.fromEntries(list.map((m) => [m.Member_Account, [m.MsgSeq, m.UnreadMsgNum]]))
}

/** The badge of `user` in `groupId` as get_joined_group_list shows it. */
async function badge(user: string, groupId: string): Promise<{ MsgSeq: number; UnreadMsgNum: number }> {
  const r = await ok(server, 'get_joined_group_list', {
    Member_Account: user,
    WithHugeGroups: 1,
    WithNoActiveGroups: 1,
    ResponseFilter: { SelfInfoFilter: ['MsgSeq', 'UnreadMsgNum'] },
  })
  const item = (
    r.GroupIdList as { GroupId: string; SelfInfo: { MsgSeq: number; UnreadMsgNum: number } }[]
  ).find((g) => g.GroupId === groupId)
  return item!.SelfInfo
}

const plain = { NeedReadReceipt: 0 }

describe('member read seq (MsgSeq) and unread count', () => {
  it('sending moves the sender read seq; the others keep theirs and count what they have not read', async () => {
    await makeGroup(server, 'rs1', 'rs1_a', ['rs1_b'])
    expect(await states('rs1')).toEqual({ rs1_a: [0, 0], rs1_b: [0, 0] })
    for (let i = 0; i < 3; i++) await send(server, 'rs1', 'rs1_a', plain)
    expect(await states('rs1')).toEqual({ rs1_a: [3, 0], rs1_b: [0, 3] })
    await send(server, 'rs1', 'rs1_b', plain)
    expect(await states('rs1')).toEqual({ rs1_a: [3, 1], rs1_b: [4, 0] })
    expect(await badge('rs1_a', 'rs1')).toEqual({ MsgSeq: 3, UnreadMsgNum: 1 })
    const info = await ok(server, 'get_group_member_info', {
      GroupId: 'rs1',
      MemberInfoFilter: ['LastSendMsgTime'],
    })
    for (const m of info.MemberList as { LastSendMsgTime: number }[])
      expect(m.LastSendMsgTime).toBeGreaterThan(0)
  })

  it('a member who joins starts at the newest message', async () => {
    await makeGroup(server, 'rs2', 'rs2_a', [])
    await send(server, 'rs2', 'rs2_a', plain)
    await send(server, 'rs2', 'rs2_a', plain)
    await importAccounts(server, ['rs2_c'])
    await ok(server, 'add_group_member', { GroupId: 'rs2', MemberList: [{ Member_Account: 'rs2_c' }] })
    expect(await states('rs2')).toEqual({ rs2_a: [2, 0], rs2_c: [2, 0] })
    await send(server, 'rs2', 'rs2_a', plain)
    expect((await states('rs2')).rs2_c).toEqual([2, 1])
  })

  it('NoUnread and online-only messages count for nobody; a targeted one only for its targets', async () => {
    await makeGroup(server, 'rs3', 'rs3_a', ['rs3_b', 'rs3_c'])
    await send(server, 'rs3', 'rs3_a', { SendMsgControl: ['NoUnread'] })
    await send(server, 'rs3', 'rs3_a', { OnlineOnlyFlag: 1 })
    await send(server, 'rs3', 'rs3_a', { To_Account: ['rs3_b'] })
    expect(await states('rs3')).toEqual({ rs3_a: [3, 0], rs3_b: [0, 1], rs3_c: [0, 0] })
  })

  it('a recall takes the message out of the counts of those who had not read it', async () => {
    await makeGroup(server, 'rs4', 'rs4_a', ['rs4_b', 'rs4_c'])
    const s1 = await send(server, 'rs4', 'rs4_a', plain)
    const s2 = await send(server, 'rs4', 'rs4_a', { To_Account: ['rs4_b'] })
    await send(server, 'rs4', 'rs4_c', plain) // c has read s1 and s2 by sending
    expect(await states('rs4')).toEqual({ rs4_a: [2, 1], rs4_b: [0, 3], rs4_c: [3, 0] })
    await ok(server, 'group_msg_recall', { GroupId: 'rs4', MsgSeqList: [{ MsgSeq: s1 }, { MsgSeq: s2 }] })
    expect(await states('rs4')).toEqual({ rs4_a: [2, 1], rs4_b: [0, 1], rs4_c: [3, 0] })
    await send(server, 'rs4', 'rs4_b', plain)
    expect(await states('rs4')).toEqual({ rs4_a: [2, 2], rs4_b: [4, 0], rs4_c: [3, 1] })
  })

  it('set_unread_msg_num places the read seq before exactly N counting messages, capped', async () => {
    await makeGroup(server, 'rs5', 'rs5_a', ['rs5_b'])
    await send(server, 'rs5', 'rs5_a', plain) // 1
    await send(server, 'rs5', 'rs5_b', plain) // 2: b's own, never unread for b
    await send(server, 'rs5', 'rs5_a', { SendMsgControl: ['NoUnread'] }) // 3
    await send(server, 'rs5', 'rs5_a', plain) // 4
    await ok(server, 'set_unread_msg_num', { GroupId: 'rs5', Member_Account: 'rs5_b', UnreadMsgNum: 1 })
    expect((await states('rs5')).rs5_b).toEqual([3, 1])
    await ok(server, 'set_unread_msg_num', { GroupId: 'rs5', Member_Account: 'rs5_b', UnreadMsgNum: 2 })
    expect((await states('rs5')).rs5_b).toEqual([0, 2])
    await ok(server, 'set_unread_msg_num', { GroupId: 'rs5', Member_Account: 'rs5_b', UnreadMsgNum: 50 })
    expect((await states('rs5')).rs5_b).toEqual([0, 2])
    await ok(server, 'set_unread_msg_num', { GroupId: 'rs5', Member_Account: 'rs5_b', UnreadMsgNum: 0 })
    expect((await states('rs5')).rs5_b).toEqual([4, 0])
    await ok(server, 'set_unread_msg_num', { GroupId: 'rs5', Member_Account: 'rs5_a', UnreadMsgNum: 5 })
    expect((await states('rs5')).rs5_a).toEqual([0, 1])
    expect(await badge('rs5_a', 'rs5')).toEqual({ MsgSeq: 0, UnreadMsgNum: 1 })
  })

  it('ChatRoom and AVChatRoom groups report 0 unread but keep the read seq', async () => {
    await makeGroup(server, 'rs6', 'rs6_a', ['rs6_b'], 'ChatRoom')
    await send(server, 'rs6', 'rs6_a', plain)
    expect(await states('rs6')).toEqual({ rs6_a: [1, 0], rs6_b: [0, 0] })
    await importAccounts(server, ['rs7_a'])
    await ok(server, 'create_group', {
      GroupId: 'rs7',
      Type: 'AVChatRoom',
      Name: 'live',
      Owner_Account: 'rs7_a',
    })
    await send(server, 'rs7', 'administrator', plain)
    expect(await badge('rs7_a', 'rs7')).toEqual({ MsgSeq: 0, UnreadMsgNum: 0 })
  })
})
