/**
 * One conversation seen from one side, with its unread count explained (issue 16 §1): the stored
 * count (what get_c2c_unread_msg_num answers), the store's recount from the messages, the read
 * times of both sides, and every message in order with whether it is part of the count and, when
 * not, why (`notUnreadReasons`, design.md decisions 5, 6 and 14).
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { MsgKeyParts } from '../domain/c2c/msg-key.js'
import { notUnreadReasons, type NotUnreadReason, type StoredMessage } from '../domain/c2c/rules.js'
import type { Store } from '../store/store.js'
import { decodeCursor, isNumber, pageSize, param, paging, type InspectRequest } from './request.js'

/** The wire names of the reasons; the README's "Console" section lists them. */
const REASON_NAMES: Record<NotUnreadReason, string> = {
  own: 'OwnMessage',
  self: 'SentToSelf',
  'no-unread': 'NoUnread',
  'online-only': 'OnlineOnly',
  'import-history': 'ImportedAsRead',
  deleted: 'ConversationDeleted',
  recalled: 'Recalled',
  'before-read-time': 'BeforeReadTime',
  'not-counted': 'NotCounted',
}

const isPosition = (v: unknown): v is [number, number, number] =>
  Array.isArray(v) && v.length === 3 && v.every(isNumber)

export async function explainConversation(store: Store, r: InspectRequest) {
  const owner = param(r, 'userId') as UserId
  const peer = param(r, 'peer') as UserId
  const cursor = decodeCursor(r.query, isPosition)
  const after: MsgKeyParts | undefined = cursor && {
    msgTime: cursor[0],
    msgSeq: cursor[1],
    msgRandom: cursor[2],
  }
  const limit = pageSize(r.query)
  const seen = await store.read(r.app.sdkAppId, async (tx) => ({
    conversation: await tx.inspection.conversation(owner, peer),
    recount: await tx.inspection.recountConversation(owner, peer),
    page: await tx.inspection.messages(owner, peer, { after, limit }),
  }))
  const { conversation: c, page } = seen
  const last = page.items.at(-1)
  return {
    Owner_Account: owner,
    Peer_Account: peer,
    ReadTime: c.readTime,
    PeerReadTime: c.peerReadTime,
    UnreadMsgNum: c.unread,
    RecountedUnreadMsgNum: seen.recount,
    Drift: seen.recount - c.unread,
    Messages: page.items.map((m) => renderMessage(m, owner, c.readTime, c.peerReadTime)),
    ...paging(page.more, last && [last.msgTime, last.msgSeq, last.msgRandom]),
  }
}

function renderMessage(m: StoredMessage, owner: UserId, readTime: number, peerReadTime: number) {
  const reasons = notUnreadReasons(m, owner, readTime)
  return {
    From_Account: m.from,
    To_Account: m.to,
    MsgKey: m.msgKey,
    MsgSeq: m.msgSeq,
    MsgRandom: m.msgRandom,
    MsgTime: m.msgTime,
    MsgBody: m.body,
    CloudCustomData: m.cloudCustomData,
    IsNeedReadReceipt: m.needReadReceipt ? 1 : 0,
    IsPeerRead: m.peerRead ? 1 : 0,
    Recalled: m.recalled ? 1 : 0,
    /** Shown in the sender's own history (SyncOtherMachine 2 hides it there). */
    SenderSees: m.senderSees ? 1 : 0,
    RecipientSees: m.recipientSees ? 1 : 0,
    /** Part of the owner's unread count now. */
    Unread: reasons.length === 0 ? 1 : 0,
    NotUnreadBecause: reasons.map((x) => REASON_NAMES[x]),
    /** For the owner's own messages: the peer's read report covers it. */
    ReadByPeer: m.from === owner && m.to !== owner && m.msgTime <= peerReadTime ? 1 : 0,
  }
}
