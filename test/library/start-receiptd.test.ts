/**
 * Library mode from source (the packed package is tested in test/package): options become the
 * app, bad options are refused naming the option, usersig() signs as Tencent's library does,
 * reset() empties the app, stop() frees the port.
 */
import { Api } from 'tls-sig-api-v2'
import { describe, expect, it } from 'vitest'
import { decodeUserSig, hasValidHmac } from '../../src/auth/tls-sig-api-v2.js'
import { startReceiptd } from '../../src/index.js'

describe('startReceiptd', () => {
  it('serves the given app on a free port, and reset() empties it', async () => {
    const im = await startReceiptd({ sdkAppId: 1400000077, secretKey: 'lib-key', admin: 'boss' })
    try {
      expect(im.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect([im.sdkAppId, im.secretKey, im.admin]).toEqual([1400000077, 'lib-key', 'boss'])
      const official = new Api(1400000077, 'lib-key').genUserSig('boss', 600)
      const call = (path: string, body: unknown, usersig = im.usersig()) =>
        fetch(`${im.url}/v4/${path}?sdkappid=1400000077&identifier=boss&usersig=${usersig}`, {
          method: 'POST',
          body: JSON.stringify(body),
        }).then((r) => r.json() as Promise<Record<string, unknown>>)
      expect(await call('im_open_login_svc/account_import', { UserID: 'alice' }, official)).toMatchObject({
        ErrorCode: 0,
      })
      const decoded = decodeUserSig(im.usersig('alice', 60))
      expect(decoded.ok && decoded.doc).toMatchObject({
        identifier: 'alice',
        sdkAppId: 1400000077,
        expire: 60,
      })
      expect(decoded.ok && hasValidHmac(decoded.doc, 'lib-key')).toBe(true)
      await im.reset()
      expect(
        await call('im_open_login_svc/account_check', {
          CheckItem: [{ UserID: 'alice' }, { UserID: 'boss' }],
        }),
      ).toMatchObject({ ResultItem: [{ AccountStatus: 'NotImported' }, { AccountStatus: 'Imported' }] })
      const q = new URLSearchParams(im.query())
      expect(q.get('identifier')).toBe('boss')
    } finally {
      await im.stop()
    }
    await expect(fetch(`${im.url}/healthz`)).rejects.toThrow()
  })

  it('refuses bad options, naming them', async () => {
    await expect(startReceiptd({ sdkAppId: 0 })).rejects.toThrow(/startReceiptd options: apps\[0\]\.sdkAppId/)
    await expect(startReceiptd({ admin: '' })).rejects.toThrow(/admins\[0\]/)
    await expect(startReceiptd({ callback: { url: 'ftp://x' } })).rejects.toThrow(/callback\.url/)
  })
})
