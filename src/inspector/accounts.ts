/**
 * Accounts and their one-to-one conversations, as the inspection API shows them (issue 16 §1):
 * search by prefix, one account with its totals, a user's conversations with the read time and
 * unread count on each side.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import { TencentError } from '../domain/codes.js'
import type { Account } from '../store/inspection.js'
import type { Store } from '../store/store.js'
import { decodeCursor, isString, pageSize, param, paging, type InspectRequest } from './request.js'

export function renderAccount(a: Account): Record<string, unknown> {
  return { UserID: a.userId, Nick: a.nick ?? '', FaceUrl: a.faceUrl ?? '', CreateTime: a.createdTime }
}

export async function listAccounts(store: Store, r: InspectRequest) {
  const prefix = r.query.get('prefix') ?? ''
  const after = decodeCursor(r.query, isString) as UserId | undefined
  const limit = pageSize(r.query)
  const page = await store.read(r.app.sdkAppId, (tx) => tx.inspection.accounts({ prefix, after, limit }))
  return { Accounts: page.items.map(renderAccount), ...paging(page.more, page.items.at(-1)?.userId) }
}

export async function getAccount(store: Store, r: InspectRequest) {
  const userId = param(r, 'userId') as UserId
  const found = await store.read(r.app.sdkAppId, async (tx) => {
    const account = await tx.inspection.account(userId)
    return account && { account, totals: await tx.inspection.accountTotals(userId) }
  })
  if (found === undefined) throw new TencentError(60009, `no account ${userId} in app ${r.app.sdkAppId}`)
  return {
    Account: renderAccount(found.account),
    Totals: {
      C2CUnreadMsgNum: found.totals.c2cUnread,
      Conversations: found.totals.conversations,
      Groups: found.totals.groups,
    },
  }
}

export async function listConversations(store: Store, r: InspectRequest) {
  const owner = param(r, 'userId') as UserId
  const after = decodeCursor(r.query, isString) as UserId | undefined
  const limit = pageSize(r.query)
  const page = await store.read(r.app.sdkAppId, (tx) => tx.inspection.conversations(owner, { after, limit }))
  return {
    Conversations: page.items.map((c) => ({
      Peer_Account: c.peer,
      ReadTime: c.readTime,
      UnreadMsgNum: c.unread,
      PeerReadTime: c.peerReadTime,
    })),
    ...paging(page.more, page.items.at(-1)?.peer),
  }
}
