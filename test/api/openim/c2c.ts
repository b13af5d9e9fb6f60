/**
 * Helpers for the openim tests: accounts, a text MsgBody, and the outbox rows the store recorded.
 */
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js'
import type { TestServer } from '../../helpers/server.js'

export const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }]

let random = 1
/** A fresh MsgRandom, so two sends in one second are never taken for a repeat. */
export const nextRandom = () => random++

export async function importAccounts(server: TestServer, ...ids: string[]): Promise<void> {
  const r = await server.call('im_open_login_svc/multiaccount_import', { Accounts: ids })
  if (r.ErrorCode !== 0) throw new Error(`import failed: ${JSON.stringify(r)}`)
}

export interface OutboxRow {
  command: string
  ordering_key: string
  body: Record<string, unknown>
}

export function outbox(server: TestServer, command?: string): OutboxRow[] {
  const db = (server.receiptd.store as SqliteStore).database
  const rows = db.prepare('SELECT command, ordering_key, body FROM outbox ORDER BY id').all() as {
    command: string
    ordering_key: string
    body: string
  }[]
  return rows
    .filter((r) => command === undefined || r.command === command)
    .map((r) => ({ ...r, body: JSON.parse(r.body) as Record<string, unknown> }))
}

export async function unread(server: TestServer, user: string, peers?: string[]) {
  return server.call('openim/get_c2c_unread_msg_num', {
    To_Account: user,
    ...(peers === undefined ? {} : { Peer_Account: peers }),
  })
}
