/**
 * One valid body per command, the starting point the fuzz test mutates. Users `alice`, `bob` and
 * `carol` exist when they are used.
 */
const text = { MsgType: 'TIMTextElem', MsgContent: { Text: 'hi 😀' } }

export const sampleBodies: Record<string, Record<string, unknown>> = {
  'im_open_login_svc/account_import': { UserID: 'fuzz1', Nick: 'n', FaceUrl: 'http://x/y.png' },
  'im_open_login_svc/multiaccount_import': { Accounts: ['fuzz2', 'fuzz3'] },
  'im_open_login_svc/account_delete': { DeleteItem: [{ UserID: 'fuzz2' }] },
  'im_open_login_svc/account_check': { CheckItem: [{ UserID: 'alice' }] },
  'openim/sendmsg': {
    From_Account: 'alice',
    To_Account: 'bob',
    MsgRandom: 1,
    IsNeedReadReceipt: 1,
    MsgBody: [text],
    CloudCustomData: 'c',
  },
  'openim/batchsendmsg': {
    From_Account: 'alice',
    To_Account: ['bob', 'carol'],
    MsgRandom: 2,
    MsgBody: [text],
  },
  'openim/importmsg': {
    SyncFromOldSystem: 5,
    From_Account: 'alice',
    To_Account: 'bob',
    MsgRandom: 3,
    MsgTimeStamp: 1700000000,
    MsgBody: [text],
  },
  'openim/admin_getroammsg': {
    Operator_Account: 'alice',
    Peer_Account: 'bob',
    MaxCnt: 10,
    MinTime: 0,
    MaxTime: 4e9,
  },
  'openim/admin_msgwithdraw': { From_Account: 'alice', To_Account: 'bob', MsgKey: '1_3_1700000000' },
  'openim/admin_set_msg_read': { Report_Account: 'bob', Peer_Account: 'alice', MsgReadTime: '1700000000' },
  'openim/get_c2c_unread_msg_num': { To_Account: 'bob', Peer_Account: ['alice', 'carol'] },
  'openim/c2c_msg_read_receipt': {
    Operator_Account: 'bob',
    Peer_Account: 'alice',
    C2CMsgInfo: [{ From_Account: 'alice', To_Account: 'bob', MsgKey: '1_3_1700000000' }],
  },
  'im_open_login_svc/kick': { UserID: 'carol' },
  'openim/query_online_status': { To_Account: ['alice', 'nobody'], IsNeedDetail: 1 },
  'openim/querystate': { To_Account: ['bob'] },
  'openim/modify_c2c_msg': {
    From_Account: 'alice',
    To_Account: 'bob',
    MsgKey: '1_3_1700000000',
    MsgBody: [text],
    CloudCustomData: 'c',
  },
  'openim/modify_group_msg': { GroupId: 'fuzzg', MsgSeq: 1, MsgBody: [text], CloudCustomData: 'c' },
  'recentcontact/get_list': {
    From_Account: 'alice',
    TimeStamp: 0,
    StartIndex: 0,
    TopTimeStamp: 0,
    TopStartIndex: 0,
    AssistFlags: 7,
  },
  'recentcontact/delete': { From_Account: 'bob', Type: 1, To_Account: 'alice', ClearRamble: 1 },
  'profile/portrait_set': {
    From_Account: 'alice',
    ProfileItem: [
      { Tag: 'Tag_Profile_IM_Nick', Value: 'n' },
      { Tag: 'Tag_Profile_IM_BirthDay', Value: 20190419 },
    ],
  },
  'profile/portrait_get': { To_Account: ['alice', 'bob'], TagList: ['Tag_Profile_IM_Nick'] },
}
