import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { importAccounts } from './c2c.js'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer(testConfig())
  await importAccounts(server, 'os_1', 'os_2')
})
afterAll(() => server.close())

describe.each(['query_online_status', 'querystate'])('openim/%s', (name) => {
  const query = (body: unknown) => server.call(`openim/${name}`, body)

  it('answers Offline for every existing account, 70107 in ErrorList for the others', async () => {
    expect(await query({ To_Account: ['os_1', 'os_none', 'os_2'], IsNeedDetail: 1 })).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
      QueryResult: [
        { To_Account: 'os_1', Status: 'Offline' },
        { To_Account: 'os_2', Status: 'Offline' },
      ],
      ErrorList: [{ To_Account: 'os_none', ErrorCode: 70107 }],
    })
    expect(await query({ To_Account: ['os_1'] })).toMatchObject({ ErrorList: [] })
  })

  it('fails with 70107 when no account exists; 90001 for an empty list; 90003 for a missing one or a non-string; 90011 past 500', async () => {
    expect(await query({ To_Account: ['os_none'] })).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 70107 })
    expect(await query({ To_Account: [] })).toMatchObject({
      ErrorCode: 90001,
      ErrorInfo: 'To_Account is a null array',
    })
    expect(await query({})).toMatchObject({ ErrorCode: 90003 })
    expect(await query({ To_Account: [1] })).toMatchObject({ ErrorCode: 90003 })
    expect(await query({ To_Account: 'os_1' })).toMatchObject({ ErrorCode: 90003 })
    expect(await query({ To_Account: Array.from({ length: 501 }, (_, i) => `u${i}`) })).toMatchObject({
      ErrorCode: 90011,
    })
    expect(await query({ To_Account: ['os_1'], IsNeedDetail: 2 })).toMatchObject({ ErrorCode: 90001 })
  })
})
