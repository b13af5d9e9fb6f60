import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, startTestServer, testConfig, type TestServer } from '../../helpers/server.js'
import { outbox } from '../openim/c2c.js'

let server: TestServer

const set = (body: unknown) => server.call('profile/portrait_set', body)
const get = (body: unknown) => server.call('profile/portrait_get', body)
const importAccount = (body: Record<string, unknown>) => server.call('im_open_login_svc/account_import', body)

beforeAll(async () => {
  server = await startTestServer(testConfig())
})
afterAll(() => server.close())

describe('profile/portrait_set and portrait_get', () => {
  it('answers the samples of spec part 2 §20 as written, with ErrorDisplay and the webhook', async () => {
    await importAccount({ UserID: 'id1' })
    await importAccount({ UserID: 'id' })
    expect(
      await set({ From_Account: 'id', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'MyNickName' }] }),
    ).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, ErrorDisplay: '' })
    expect(
      await set({
        From_Account: 'id1',
        ProfileItem: [
          { Tag: 'Tag_Profile_IM_Nick', Value: 'NickNameTest1' },
          { Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_NeedConfirm' },
        ],
      }),
    ).toMatchObject({ ErrorCode: 0 })
    expect(
      await get({ To_Account: ['id1', 'id4'], TagList: ['Tag_Profile_IM_Nick', 'Tag_Profile_IM_AllowType'] }),
    ).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
      ErrorDisplay: '',
      UserProfileItem: [
        {
          To_Account: 'id1',
          ProfileItem: [
            { Tag: 'Tag_Profile_IM_Nick', Value: 'NickNameTest1' },
            { Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_NeedConfirm' },
          ],
          ResultCode: 0,
          ResultInfo: '',
        },
        { To_Account: 'id4', ResultCode: 40003, ResultInfo: 'the account does not exist' },
      ],
      Fail_Account: ['id4'],
    })
    expect((await outbox(server, 'Profile.CallbackPortraitSet')).map((r) => r.body)).toMatchObject([
      {
        CallbackCommand: 'Profile.CallbackPortraitSet',
        Operator_Account: ADMIN,
        From_Account: 'id',
        ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'MyNickName' }],
      },
      { From_Account: 'id1' },
    ])
  })

  it('shares Nick and FaceUrl with account_import, in both directions', async () => {
    await importAccount({ UserID: 'pf_a', Nick: 'imported', FaceUrl: 'http://x/a.png' })
    const tags = ['Tag_Profile_IM_Nick', 'Tag_Profile_IM_Image', 'Tag_Profile_IM_Gender']
    expect((await get({ To_Account: ['pf_a'], TagList: tags })).UserProfileItem).toEqual([
      {
        To_Account: 'pf_a',
        ProfileItem: [
          { Tag: 'Tag_Profile_IM_Nick', Value: 'imported' },
          { Tag: 'Tag_Profile_IM_Image', Value: 'http://x/a.png' },
        ],
        ResultCode: 0,
        ResultInfo: '',
      },
    ])
    await set({ From_Account: 'pf_a', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'set' }] })
    await importAccount({ UserID: 'pf_a', FaceUrl: 'http://x/b.png' })
    expect((await get({ To_Account: ['pf_a'], TagList: tags })).UserProfileItem).toMatchObject([
      {
        ProfileItem: [
          { Tag: 'Tag_Profile_IM_Nick', Value: 'set' },
          { Tag: 'Tag_Profile_IM_Image', Value: 'http://x/b.png' },
        ],
      },
    ])
  })

  it('keeps numbers as numbers (numeric strings accepted), custom tags, and forgets a deleted account', async () => {
    await importAccount({ UserID: 'pf_b' })
    expect(
      await set({
        From_Account: 'pf_b',
        ProfileItem: [
          { Tag: 'Tag_Profile_IM_BirthDay', Value: '20190419' },
          { Tag: 'Tag_Profile_IM_Level', Value: 3 },
          { Tag: 'Tag_Profile_Custom_Hobby', Value: 'chess' },
          { Tag: 'Tag_Profile_IM_Gender', Value: 'Gender_Type_Female' },
        ],
      }),
    ).toMatchObject({ ErrorCode: 0 })
    const tags = [
      'Tag_Profile_Custom_Hobby',
      'Tag_Profile_IM_BirthDay',
      'Tag_Profile_IM_Level',
      'Tag_Profile_IM_Nick',
    ]
    expect((await get({ To_Account: ['pf_b'], TagList: tags })).UserProfileItem).toEqual([
      {
        To_Account: 'pf_b',
        ProfileItem: [
          { Tag: 'Tag_Profile_Custom_Hobby', Value: 'chess' },
          { Tag: 'Tag_Profile_IM_BirthDay', Value: 20190419 },
          { Tag: 'Tag_Profile_IM_Level', Value: 3 },
        ],
        ResultCode: 0,
        ResultInfo: '',
      },
    ])
    await server.call('im_open_login_svc/account_delete', { DeleteItem: [{ UserID: 'pf_b' }] })
    await importAccount({ UserID: 'pf_b' })
    expect((await get({ To_Account: ['pf_b'], TagList: tags })).UserProfileItem).toMatchObject([
      { ProfileItem: [] },
    ])
  })

  it('refuses a bad item with its code and sets none of the call`s items', async () => {
    await importAccount({ UserID: 'pf_c' })
    const nick = { Tag: 'Tag_Profile_IM_Nick', Value: 'never' }
    const cases: [unknown, number][] = [
      [{ Tag: 'Tag_Profile_IM_Unknown', Value: 'x' }, 40009],
      [{ Tag: 'Tag_Profile_Custom_TooLongName', Value: 'x' }, 40009],
      [{ Tag: 'Tag_Profile_IM_Gender', Value: 'Gender_Type_X' }, 40605],
      [{ Tag: 'Tag_Profile_IM_BirthDay', Value: 'soon' }, 40610],
      [{ Tag: 'Tag_Profile_IM_BirthDay', Value: -1 }, 40605],
      [{ Tag: 'Tag_Profile_IM_Nick', Value: 7 }, 40610],
      [{ Tag: 'Tag_Profile_IM_SelfSignature', Value: 'x'.repeat(501) }, 40601],
      [{ Tag: 'Tag_Profile_IM_Location', Value: 'x'.repeat(17) }, 40601],
      [{ Tag: 'Tag_Profile_IM_Nick' }, 40001],
      [{ Value: 'x' }, 40001],
      ['Tag_Profile_IM_Nick', 40001],
    ]
    for (const [item, code] of cases) {
      expect(
        await set({ From_Account: 'pf_c', ProfileItem: [nick, item] }),
        JSON.stringify(item),
      ).toMatchObject({
        ActionStatus: 'FAIL',
        ErrorCode: code,
        ErrorDisplay: '',
      })
    }
    expect(
      (await get({ To_Account: ['pf_c'], TagList: ['Tag_Profile_IM_Nick'] })).UserProfileItem,
    ).toMatchObject([{ ProfileItem: [] }])
    expect(await set({ From_Account: 'pf_none', ProfileItem: [nick] })).toMatchObject({ ErrorCode: 40003 })
    expect(await set({ From_Account: 'pf_c', ProfileItem: [] })).toMatchObject({ ErrorCode: 40001 })
    expect(await set({ ProfileItem: [nick] })).toMatchObject({ ErrorCode: 40001 })
    expect(await server.call('profile/portrait_set', {}, { rawBody: 'nope' })).toMatchObject({
      ErrorCode: 40001,
    })
  })

  it('portrait_get: 40002 without To_Account, 40001 past 100, 40009 for an unknown tag, FAIL 40003 when all fail', async () => {
    expect(await get({ TagList: ['Tag_Profile_IM_Nick'] })).toMatchObject({ ErrorCode: 40002 })
    const many = Array.from({ length: 101 }, (_, i) => `u${i}`)
    expect(await get({ To_Account: many, TagList: ['Tag_Profile_IM_Nick'] })).toMatchObject({
      ErrorCode: 40001,
    })
    expect(await get({ To_Account: ['id1'], TagList: ['Tag_Profile_IM_Nope'] })).toMatchObject({
      ErrorCode: 40009,
    })
    expect(await get({ To_Account: ['id1'] })).toMatchObject({ ErrorCode: 40001 })
    expect(await get({ To_Account: ['pf_ghost'], TagList: ['Tag_Profile_IM_Nick'] })).toEqual({
      ActionStatus: 'FAIL',
      ErrorCode: 40003,
      ErrorInfo: 'the account does not exist',
      ErrorDisplay: '',
    })
  })

  it('answers 40004 to a caller who is not an admin', async () => {
    await importAccount({ UserID: 'pf_user' })
    const r = await server.call('profile/portrait_get', {}, { identifier: 'pf_user' })
    expect(r).toMatchObject({ ErrorCode: 40004, ErrorDisplay: '' })
  })
})
