import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, startTestServer, testApp, testConfig, type TestServer } from '../../helpers/server.js'

const IMPORT = 'im_open_login_svc/account_import'
const MULTI = 'im_open_login_svc/multiaccount_import'
const DELETE = 'im_open_login_svc/account_delete'
const CHECK = 'im_open_login_svc/account_check'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

const status = async (...ids: string[]) => {
  const r = await server.call(CHECK, { CheckItem: ids.map((UserID) => ({ UserID })) })
  return (r.ResultItem as { AccountStatus: string }[]).map((i) => i.AccountStatus)
}

describe('account_import (spec §3.1)', () => {
  it('imports an account, and re-importing is idempotent', async () => {
    expect(await server.call(IMPORT, { UserID: 'imp1', Nick: 'One', FaceUrl: 'http://x/1.png' })).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
    })
    expect((await server.call(IMPORT, { UserID: 'imp1' })).ErrorCode).toBe(0)
    expect((await server.call(IMPORT, { UserID: 'imp1', Nick: 'Uno' })).ErrorCode).toBe(0)
    expect(await status('imp1')).toEqual(['Imported'])
  })

  it('accepts the legacy field name Identifier', async () => {
    expect((await server.call(IMPORT, { Identifier: 'legacy1' })).ErrorCode).toBe(0)
    expect(await status('legacy1')).toEqual(['Imported'])
  })

  it('accepts 32-byte ids, emoji and 4-byte UTF-8 within the limit', async () => {
    for (const id of ['a'.repeat(32), '😀😀😀😀😀😀😀😀', '𠀀用户']) {
      expect((await server.call(IMPORT, { UserID: id, Nick: '🎉 名前' })).ErrorCode).toBe(0)
      expect(await status(id)).toEqual(['Imported'])
    }
  })

  it.each([
    ['UserID is missing', {}, 70402],
    ['UserID is empty', { UserID: '' }, 70402],
    ['UserID is longer than 32 bytes', { UserID: 'a'.repeat(33) }, 70402],
    ['UserID of 9 emoji (36 bytes)', { UserID: '😀'.repeat(9) }, 70402],
    ['UserID has a control character', { UserID: 'a\nb' }, 70402],
    ['UserID is a number', { UserID: 123 }, 60015],
    ['UserID is an object', { UserID: { a: 1 } }, 60015],
    ['Identifier is a number', { Identifier: 7 }, 60015],
    ['Nick is a number', { UserID: 'n1', Nick: 5 }, 70402],
    ['Nick is longer than 500 bytes', { UserID: 'n1', Nick: 'n'.repeat(501) }, 40601],
    ['FaceUrl is longer than 500 bytes', { UserID: 'n1', FaceUrl: 'f'.repeat(501) }, 40601],
  ])('answers the right code when %s', async (_name, body, code) => {
    const r = await server.call(IMPORT, body)
    expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code })
    expect(r.ErrorInfo).not.toBe('')
  })

  it('stores nothing when a field fails', async () => {
    await server.call(IMPORT, { UserID: 'half', Nick: 'n'.repeat(501) })
    expect(await status('half')).toEqual(['NotImported'])
  })

  it('answers 70398 past the account limit of the app, for new accounts only', async () => {
    const limited = await startTestServer(
      testConfig([testApp({ limits: { ...testApp().limits, maxAccounts: 3 } })]),
    )
    try {
      // The admin is an account already.
      expect((await limited.call(IMPORT, { UserID: 'l1' })).ErrorCode).toBe(0)
      expect((await limited.call(IMPORT, { UserID: 'l2' })).ErrorCode).toBe(0)
      expect((await limited.call(IMPORT, { UserID: 'l3' })).ErrorCode).toBe(70398)
      expect((await limited.call(IMPORT, { UserID: 'l2', Nick: 'again' })).ErrorCode).toBe(0)
      const multi = await limited.call(MULTI, { Accounts: ['l1', 'l4'] })
      expect(multi).toMatchObject({ ErrorCode: 0, FailAccounts: ['l4'] })
    } finally {
      await limited.close()
    }
  })
})

describe('multiaccount_import (spec §3.2)', () => {
  it('imports many and lists the impossible ones in FailAccounts', async () => {
    const r = await server.call(MULTI, { Accounts: ['m1', 'm2', '', 'x'.repeat(33), 'm1'] })
    expect(r).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, FailAccounts: ['', 'x'.repeat(33)] })
    expect(await status('m1', 'm2')).toEqual(['Imported', 'Imported'])
  })

  it('answers an empty FailAccounts when all succeed', async () => {
    expect((await server.call(MULTI, { Accounts: ['m3'] })).FailAccounts).toEqual([])
  })

  it('takes 100 accounts and refuses 101 with 70402', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `bulk${i}`)
    expect((await server.call(MULTI, { Accounts: ids(100) })).ErrorCode).toBe(0)
    expect((await server.call(MULTI, { Accounts: ids(101) })).ErrorCode).toBe(70402)
    expect((await server.call(MULTI, { Accounts: Array(10_000).fill('z') })).ErrorCode).toBe(70402)
  })

  it.each([
    ['Accounts is missing', {}, 70402],
    ['Accounts is empty', { Accounts: [] }, 70402],
    ['Accounts is a string', { Accounts: 'm1' }, 70402],
    ['an account is a number', { Accounts: ['ok1', 5] }, 60015],
  ])('answers the right code when %s', async (_name, body, code) => {
    expect((await server.call(MULTI, body)).ErrorCode).toBe(code)
  })

  it('imports nothing from a request refused for one bad item', async () => {
    await server.call(MULTI, { Accounts: ['ok1', 5] })
    expect(await status('ok1')).toEqual(['NotImported'])
  })
})

describe('account_delete (spec §3.3)', () => {
  it('deletes accounts with a result per item; unknown ones answer 70107 per item', async () => {
    await server.call(MULTI, { Accounts: ['d1', 'd2'] })
    const r = await server.call(DELETE, {
      DeleteItem: [{ UserID: 'd1' }, { UserID: 'ghost' }, { UserID: 'd2' }, { UserID: 'd1' }],
    })
    expect(r).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
      ResultItem: [
        { ResultCode: 0, ResultInfo: '', UserID: 'd1' },
        { ResultCode: 70107, ResultInfo: 'Err_TLS_PT_Open_Login_Account_Not_Exist', UserID: 'ghost' },
        { ResultCode: 0, ResultInfo: '', UserID: 'd2' },
        { ResultCode: 70107, ResultInfo: 'Err_TLS_PT_Open_Login_Account_Not_Exist', UserID: 'd1' },
      ],
    })
    expect(await status('d1', 'd2')).toEqual(['NotImported', 'NotImported'])
  })

  it('keeps other accounts intact', async () => {
    await server.call(MULTI, { Accounts: ['keep1', 'gone1', 'keep2'] })
    await server.call(DELETE, { DeleteItem: [{ UserID: 'gone1' }] })
    expect(await status('keep1', 'gone1', 'keep2')).toEqual(['Imported', 'NotImported', 'Imported'])
  })

  it('refuses to delete an admin, per item', async () => {
    const r = await server.call(DELETE, { DeleteItem: [{ UserID: ADMIN }] })
    expect(r.ErrorCode).toBe(0)
    expect(r.ResultItem).toEqual([{ ResultCode: 71000, ResultInfo: expect.any(String), UserID: ADMIN }])
    expect(await status(ADMIN)).toEqual(['Imported'])
  })

  it.each([
    ['DeleteItem is missing', {}, 70402],
    ['DeleteItem is empty', { DeleteItem: [] }, 70402],
    ['an item has no UserID', { DeleteItem: [{}] }, 70402],
    ['an item is a string', { DeleteItem: ['d1'] }, 70402],
    ['a UserID is a number', { DeleteItem: [{ UserID: 1 }] }, 60015],
    [
      'there are 101 items',
      { DeleteItem: Array.from({ length: 101 }, (_, i) => ({ UserID: `x${i}` })) },
      70402,
    ],
  ])('answers the right code when %s', async (_name, body, code) => {
    expect((await server.call(DELETE, body)).ErrorCode).toBe(code)
  })
})

describe('account_check (spec §3.4)', () => {
  it('reports Imported and NotImported per item, in request order', async () => {
    await server.call(IMPORT, { UserID: 'c1' })
    const r = await server.call(CHECK, {
      CheckItem: [{ UserID: 'nobody' }, { UserID: 'c1' }, { UserID: 'x'.repeat(40) }],
    })
    expect(r).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
      ResultItem: [
        { UserID: 'nobody', ResultCode: 0, ResultInfo: '', AccountStatus: 'NotImported' },
        { UserID: 'c1', ResultCode: 0, ResultInfo: '', AccountStatus: 'Imported' },
        { UserID: 'x'.repeat(40), ResultCode: 0, ResultInfo: '', AccountStatus: 'NotImported' },
      ],
    })
  })

  it.each([
    ['CheckItem is missing', {}, 70402],
    ['CheckItem is an object', { CheckItem: { UserID: 'a' } }, 70402],
    ['a UserID is null', { CheckItem: [{ UserID: null }] }, 70402],
    ['a UserID is an array', { CheckItem: [{ UserID: ['a'] }] }, 60015],
    ['there are 101 items', { CheckItem: Array.from({ length: 101 }, () => ({ UserID: 'a' })) }, 70402],
  ])('answers the right code when %s', async (_name, body, code) => {
    expect((await server.call(CHECK, body)).ErrorCode).toBe(code)
  })
})

describe('the account APIs against a reference model', () => {
  it('agree with a set of imported ids after any sequence of calls', async () => {
    const ids = ['p0', 'p1', 'p2', 'p3', 'p4', '', 'p'.repeat(33)]
    const id = fc.constantFrom(...ids)
    const op = fc.oneof(
      fc.record({ kind: fc.constant('import' as const), id }),
      fc.record({ kind: fc.constant('multi' as const), ids: fc.array(id, { minLength: 1, maxLength: 5 }) }),
      fc.record({ kind: fc.constant('delete' as const), ids: fc.array(id, { minLength: 1, maxLength: 5 }) }),
    )
    const valid = (s: string) => s.length > 0 && s.length <= 32
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        const local = await startTestServer()
        const model = new Set<string>()
        try {
          for (const o of ops) {
            if (o.kind === 'import') {
              const r = await local.call(IMPORT, { UserID: o.id })
              expect(r.ErrorCode).toBe(valid(o.id) ? 0 : 70402)
              if (valid(o.id)) model.add(o.id)
            } else if (o.kind === 'multi') {
              const r = await local.call(MULTI, { Accounts: o.ids })
              expect(r.FailAccounts).toEqual([...new Set(o.ids.filter((x) => !valid(x)))])
              for (const x of o.ids) if (valid(x)) model.add(x)
            } else {
              const r = await local.call(DELETE, { DeleteItem: o.ids.map((UserID) => ({ UserID })) })
              const expected = o.ids.map((x) => (model.delete(x) ? 0 : 70107))
              expect((r.ResultItem as { ResultCode: number }[]).map((i) => i.ResultCode)).toEqual(expected)
            }
            const check = await local.call(CHECK, { CheckItem: ids.map((UserID) => ({ UserID })) })
            expect((check.ResultItem as { AccountStatus: string }[]).map((i) => i.AccountStatus)).toEqual(
              ids.map((x) => (model.has(x) ? 'Imported' : 'NotImported')),
            )
          }
        } finally {
          await local.close()
        }
      }),
      { numRuns: 40 },
    )
  })
})
