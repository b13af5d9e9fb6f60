/**
 * The request samples of spec part 2 §17–§20, byte for byte as the documentation (and doocs, which
 * copies it) writes them, posted without a Content-Type as some SDKs do: each is read as written
 * and answered as the section says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { makeGroup, send as sendGroup } from '../group_open_http_svc/helpers.js'

let server: TestServer
const post = (path: string, json: string) =>
  server.call(path, undefined, { rawBody: json, contentType: null })

beforeAll(async () => {
  server = await startTestServer(testConfig())
  await makeGroup(server, 'id2', 'owner', ['id1'])
  await server.call('im_open_login_svc/multiaccount_import', { Accounts: ['id', 'dramon1', 'dramon2'] })
  await sendGroup(server, 'id2', 'owner')
})
afterAll(() => server.close())

describe('spec part 2 samples', () => {
  it('§17.1 get_list', async () => {
    const r = await post(
      'recentcontact/get_list',
      '{"From_Account":"id1","TimeStamp":0,"StartIndex":0,"TopTimeStamp":0,"TopStartIndex":0,"AssistFlags":7}',
    )
    expect(r).toMatchObject({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorDisplay: '',
      SessionItem: [{ Type: 2, GroupId: 'id2', TopFlag: 0 }],
      CompleteFlag: 1,
      StartIndex: 0,
      TopStartIndex: 0,
    })
  })

  it('§17.2 delete, both samples', async () => {
    const c2c = '{"From_Account":"id1","Type":1,"To_Account":"id2","ClearRamble":1}'
    expect(await post('recentcontact/delete', c2c)).toEqual({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      ErrorDisplay: '',
    })
    const group = '{"From_Account":"id1","Type":2,"ToGroupid":"id2","ClearRamble":1}'
    expect(await post('recentcontact/delete', group)).toMatchObject({ ErrorCode: 0 })
    const list =
      '{"From_Account":"id1","TimeStamp":0,"StartIndex":0,"TopTimeStamp":0,"TopStartIndex":0,"AssistFlags":7}'
    expect((await post('recentcontact/get_list', list)).SessionItem).toEqual([])
  })

  it('§18.1 modify_c2c_msg: read as written; its key names no message here', async () => {
    const body =
      '{"From_Account":"dramon1","To_Account":"dramon2","MsgKey":"1_2_3",' +
      '"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hello"}}],"CloudCustomData":"your cloud custom data"}'
    expect(await post('openim/modify_c2c_msg', body)).toMatchObject({ ErrorCode: 20026 })
  })

  it('§18.2 modify_group_msg: read as written; its group does not exist here', async () => {
    const body =
      '{"GroupId":"@TGS#1HYEP2SHC","MsgSeq":23,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hello"}}],' +
      '"CloudCustomData":"your cloud custom data"}'
    expect(await post('openim/modify_group_msg', body)).toMatchObject({ ErrorCode: 10010 })
  })

  it('§19 query_online_status, querystate and kick', async () => {
    for (const path of ['openim/query_online_status', 'openim/querystate']) {
      expect(await post(path, '{"To_Account":["id1","id2"],"IsNeedDetail":1}')).toMatchObject({
        ErrorCode: 0,
        QueryResult: [{ To_Account: 'id1', Status: 'Offline' }],
        ErrorList: [{ To_Account: 'id2', ErrorCode: 70107 }],
      })
    }
    expect(await post('im_open_login_svc/kick', '{"UserID":"id"}')).toEqual({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
    })
  })

  it('§20.2 portrait_set and §20.3 portrait_get', async () => {
    const set = '{"From_Account":"id","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"MyNickName"}]}'
    expect(await post('profile/portrait_set', set)).toEqual({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      ErrorDisplay: '',
    })
    const get = '{"To_Account":["id"],"TagList":["Tag_Profile_IM_Nick"]}'
    expect((await post('profile/portrait_get', get)).UserProfileItem).toEqual([
      {
        To_Account: 'id',
        ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'MyNickName' }],
        ResultCode: 0,
        ResultInfo: '',
      },
    ])
  })
})
