/** Shared set-up for the group API tests: accounts, groups and messages made over HTTP. */
import { expect } from 'vitest'
import { outboxRows, type OutboxRow } from '../../helpers/inspect.js'
import type { Envelope, TestServer } from '../../helpers/server.js'

export const G = 'group_open_http_svc/'

export async function importAccounts(server: TestServer, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    const r = await server.call('im_open_login_svc/multiaccount_import', { Accounts: ids.slice(i, i + 100) })
    expect(r.ErrorCode).toBe(0)
  }
}

export async function ok(server: TestServer, command: string, body: unknown): Promise<Envelope> {
  const r = await server.call(G + command, body)
  expect(r, `${command} ${JSON.stringify(body)}`).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 })
  return r
}

export const code = async (server: TestServer, command: string, body: unknown): Promise<number> =>
  (await server.call(G + command, body)).ErrorCode

/** Creates a Public group owned by `owner` with `members`, importing everyone first. */
export async function makeGroup(
  server: TestServer,
  groupId: string,
  owner: string,
  members: readonly string[],
  type = 'Public',
): Promise<void> {
  await importAccounts(server, [owner, ...members])
  await ok(server, 'create_group', {
    GroupId: groupId,
    Type: type,
    Name: groupId,
    Owner_Account: owner,
    MemberList: members.map((m) => ({ Member_Account: m })),
  })
}

export const text = (s: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: s } }]

let random = 1
export async function send(
  server: TestServer,
  groupId: string,
  from: string,
  extra: Record<string, unknown> = { NeedReadReceipt: 1 },
): Promise<number> {
  const r = await ok(server, 'send_group_msg', {
    GroupId: groupId,
    From_Account: from,
    Random: random++,
    MsgBody: text(`m${random}`),
    ...extra,
  })
  return r.MsgSeq as number
}

/** Webhook events recorded since the last call (outbox rows are committed with the change). */
export function outboxReader(server: TestServer): () => Promise<Omit<OutboxRow, 'id'>[]> {
  let last = 0
  return async () => {
    const rows = await outboxRows(server, last)
    if (rows.length > 0) last = rows[rows.length - 1]!.id
    return rows.map(({ command, ordering_key, body }) => ({ command, ordering_key, body }))
  }
}
