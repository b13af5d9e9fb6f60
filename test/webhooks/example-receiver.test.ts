import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { verifySign, webhookReceiver } from '../../examples/webhook-receiver.js'
import { callbackDefaults } from '../../src/config/config.js'
import { startTestServer, testApp, testConfig, type TestServer } from '../helpers/server.js'

const TOKEN = 'receiver-example-token'
let server: TestServer | undefined

afterAll(() => server?.close())

describe('the README webhook receiver example', () => {
  it("accepts the console doc's example and refuses a wrong or stale Sign", () => {
    // Tencent's console doc: token xxxxyyyy, RequestTime 1669872112 (spec §7.2).
    const signed = '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061'
    const q = (sign: string) => new URLSearchParams({ Sign: sign, RequestTime: '1669872112' })
    expect(verifySign('xxxxyyyy', q(signed), 1669872112)).toBe(true)
    expect(verifySign('xxxyyy', q(signed), 1669872112)).toBe(false)
    expect(verifySign('xxxxyyyy', q(signed.replace('1', '2')), 1669872112)).toBe(false)
    expect(verifySign('xxxxyyyy', q(signed), 1669872112 + 3600)).toBe(false)
  })

  it("receives receiptd's signed deliveries", async () => {
    const events: [string, unknown][] = []
    const receiver = webhookReceiver(TOKEN, (command, body) => events.push([command, body]))
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    try {
      const port = (receiver.address() as AddressInfo).port
      const callback = { ...callbackDefaults, url: `http://127.0.0.1:${port}/hook`, token: TOKEN }
      server = await startTestServer(testConfig([testApp({ callback })]))
      await server.call('im_open_login_svc/multiaccount_import', { Accounts: ['jared', 'Jonh'] })
      expect(
        (await server.call('openim/admin_set_msg_read', { Report_Account: 'jared', Peer_Account: 'Jonh' }))
          .ErrorCode,
      ).toBe(0)
      for (let i = 0; i < 200 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 25))
      expect(events[0]).toEqual([
        'C2C.CallbackAfterMsgReport',
        {
          CallbackCommand: 'C2C.CallbackAfterMsgReport',
          Report_Account: 'jared',
          Peer_Account: 'Jonh',
          LastReadTime: expect.any(Number),
          UnreadMsgNum: 0,
        },
      ])
    } finally {
      await new Promise((r) => receiver.close(r))
    }
  })
})
