/**
 * Helpers for the openim tests: accounts, a text MsgBody, and the outbox rows the store recorded.
 */
import { outboxRows, type OutboxRow } from '../../helpers/inspect.js'
import type { TestServer } from '../../helpers/server.js'

export const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }]

let random = 1
/** A fresh MsgRandom, so two sends in one second are never taken for a repeat. */
export const nextRandom = () => random++

export async function importAccounts(server: TestServer, ...ids: string[]): Promise<void> {
  const r = await server.call('im_open_login_svc/multiaccount_import', { Accounts: ids })
  if (r.ErrorCode !== 0) throw new Error(`import failed: ${JSON.stringify(r)}`)
}

export type { OutboxRow } from '../../helpers/inspect.js'

/** The outbox rows the store recorded, oldest first; only those of `command` when given. */
export async function outbox(server: TestServer, command?: string): Promise<Omit<OutboxRow, 'id'>[]> {
  return (await outboxRows(server))
    .filter((r) => command === undefined || r.command === command)
    .map(({ command, ordering_key, body }) => ({ command, ordering_key, body }))
}

export async function unread(server: TestServer, user: string, peers?: string[]) {
  return server.call('openim/get_c2c_unread_msg_num', {
    To_Account: user,
    ...(peers === undefined ? {} : { Peer_Account: peers }),
  })
}

export interface RoamMessage {
  From_Account: string
  MsgRandom: number
  MsgKey: string
  MsgBody: unknown
  CloudCustomData: string
  IsPeerRead: number
}

/** Every message of the conversation as `viewer` sees it, one page of up to 100. */
export async function roam(server: TestServer, viewer: string, peer: string): Promise<RoamMessage[]> {
  const r = await server.call('openim/admin_getroammsg', {
    Operator_Account: viewer,
    Peer_Account: peer,
    MaxCnt: 100,
    MinTime: 0,
    MaxTime: 4_000_000_000,
  })
  return r.MsgList as RoamMessage[]
}
