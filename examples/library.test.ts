/**
 * A complete vitest suite against receiptd in library mode, the way an app backend's tests use it
 * instead of console.tim.qq.com: `npm install --save-dev receiptd vitest`, then `npx vitest run`.
 */
import { startReceiptd, type Receiptd } from 'receiptd'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'

let im: Receiptd

beforeAll(async () => {
  im = await startReceiptd() // in this process, on a free port, in memory, with a known app
})
afterAll(() => im.stop())
beforeEach(() => im.reset()) // every test starts from an empty app

/** A REST call signed by the app's admin, as an app backend makes it. */
async function call(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${im.url}/v4/${path}?${im.query()}`, {
    method: 'POST',
    body: JSON.stringify(body),
  })
  return (await res.json()) as Record<string, unknown>
}

it('counts a message unread until it is reported read', async () => {
  await call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] })
  const sent = await call('openim/sendmsg', {
    From_Account: 'alice',
    To_Account: 'bob',
    MsgRandom: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }],
  })
  expect(sent).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 })
  expect(await call('openim/get_c2c_unread_msg_num', { To_Account: 'bob' })).toMatchObject({
    AllC2CUnreadMsgNum: 1,
  })
  await call('openim/admin_set_msg_read', { Report_Account: 'bob', Peer_Account: 'alice' })
  expect(await call('openim/get_c2c_unread_msg_num', { To_Account: 'bob' })).toMatchObject({
    AllC2CUnreadMsgNum: 0,
  })
})

it('starts from an empty app after reset()', async () => {
  expect(await call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'alice' }] })).toMatchObject({
    ResultItem: [{ UserID: 'alice', AccountStatus: 'NotImported' }],
  })
})

it('signs UserSigs with the app key, as Tencent checks them', async () => {
  const res = await fetch(`${im.url}/v4/im_open_login_svc/account_import?${im.query('alice')}`, {
    method: 'POST',
    body: JSON.stringify({ UserID: 'carol' }),
  })
  expect(await res.json()).toMatchObject({ ErrorCode: 60010 }) // alice is not an admin
  expect(im.usersig('alice')).toMatch(/^[\w*-]+$/)
})
