import { createHmac } from 'node:crypto'
import { constants, deflateSync } from 'node:zlib'
import fc from 'fast-check'
import { Api } from 'tls-sig-api-v2'
import { describe, expect, it, vi } from 'vitest'
import { checkUserId } from '../domain/accounts/user-id.js'
import { decodeUserSig, hasValidHmac, isExpired, signUserSig, type SigDocument } from './tls-sig-api-v2.js'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const APP = 1400000000
const T = 1700000000

// spec §2.2: produced by Tencent's Node and Python libraries with the clock at 1700000000.
const NODE_XIAOJUN =
  'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__'
const NODE_ADMIN =
  'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwokpuZl5mcUlRYkl*UVQBcUp2YkFBZkpSlaGJgZQAJEpycxNVbIyNEcVTa0oyCxKVbKyMDOBCRVnpitZKVX6OKZql5uHh6aGlhYmhVlm6IdEmFuUGhnmh7hnamdaRhUYlhoHFORFmhnYKtUCAK0SM5I_'
const PYTHON_XIAOJUN =
  'eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzNPXFmekgG3zKHM1T9D3LzdODi-OKs8vCqpxcAvydnV2SSv2cy03cPcpDnA2SMgu0nUxslWoBHdYzUg__'

function decoded(usersig: string): SigDocument {
  const r = decodeUserSig(usersig)
  if (!r.ok) throw new Error('did not decode')
  return r.doc
}

/** A usersig as Go's library writes it: zlib without compression, and here without padding. */
function goStyle(doc: Record<string, unknown>): string {
  return deflateSync(Buffer.from(JSON.stringify(doc)), { level: constants.Z_NO_COMPRESSION })
    .toString('base64')
    .replace(/\+/g, '*')
    .replace(/\//g, '-')
    .replace(/=+$/, '')
}

describe('TLSSigAPIv2 vectors of spec §2.2', () => {
  it.each([
    ['Node, xiaojun', NODE_XIAOJUN, 'xiaojun', 15552000, 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4='],
    [
      'Node, administrator',
      NODE_ADMIN,
      'administrator',
      86400,
      'yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60=',
    ],
    ['Python, xiaojun', PYTHON_XIAOJUN, 'xiaojun', 15552000, 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4='],
  ])('decodes and verifies the %s usersig', (_name, usersig, identifier, expire, sig) => {
    const doc = decoded(usersig)
    expect(doc).toMatchObject({ identifier, sdkAppId: APP, time: T, expire, sig })
    expect(hasValidHmac(doc, KEY)).toBe(true)
    expect(hasValidHmac(doc, KEY.replace('5', '6'))).toBe(false)
  })

  it('verifies a Go-style usersig (no compression, no padding)', () => {
    const doc = {
      'TLS.ver': '2.0',
      'TLS.identifier': 'xiaojun',
      'TLS.sdkappid': APP,
      'TLS.expire': 15552000,
      'TLS.time': T,
      'TLS.sig': 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=',
    }
    const usersig = goStyle(doc)
    expect(usersig.startsWith('eAE')).toBe(true)
    expect(hasValidHmac(decoded(usersig), KEY)).toBe(true)
  })

  it('verifies the userbuf vector and rejects it once the userbuf is dropped', () => {
    const base = { 'TLS.ver': '2.0', 'TLS.identifier': 'xiaojun', 'TLS.sdkappid': APP, 'TLS.time': T }
    const sig = 'QjT201xPkXk/aM1e+y0vakZb0K2iPrFue++0s5y6bFM='
    const withBuf = goStyle({ ...base, 'TLS.expire': 15552000, 'TLS.userbuf': 'YWJj', 'TLS.sig': sig })
    expect(hasValidHmac(decoded(withBuf), KEY)).toBe(true)
    const withoutBuf = goStyle({ ...base, 'TLS.expire': 15552000, 'TLS.sig': sig })
    expect(hasValidHmac(decoded(withoutBuf), KEY)).toBe(false)
  })

  it('expires strictly after time + expire', () => {
    const doc = decoded(NODE_ADMIN)
    expect(isExpired(doc, T + 86400)).toBe(false)
    expect(isExpired(doc, T + 86401)).toBe(true)
  })
})

describe('signUserSig', () => {
  it('signs what the official library signs for the same inputs, byte for byte', () => {
    vi.useFakeTimers({ now: T * 1000 })
    try {
      const official = new Api(APP, KEY).genUserSig('xiaojun', 15552000)
      expect(
        signUserSig({
          sdkAppId: APP,
          secretKey: KEY,
          identifier: 'xiaojun',
          expireSeconds: 15552000,
          nowSeconds: T,
        }),
      ).toBe(official)
      expect(official).toBe(NODE_XIAOJUN)
    } finally {
      vi.useRealTimers()
    }
  })

  it('round-trips any UserID, time and expiry', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 32 }).filter((s) => checkUserId(s).ok),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: 1, max: 10 ** 9 }),
        (identifier, sdkAppId, nowSeconds, expireSeconds) => {
          const usersig = signUserSig({ sdkAppId, secretKey: KEY, identifier, expireSeconds, nowSeconds })
          const doc = decoded(usersig)
          expect(doc).toMatchObject({ identifier, sdkAppId, time: nowSeconds, expire: expireSeconds })
          expect(hasValidHmac(doc, KEY)).toBe(true)
        },
      ),
    )
  })
})

describe('decodeUserSig refuses what is not a usersig', () => {
  it.each([
    ['empty', ''],
    ['not base64', '!!!!'],
    ['base64 of garbage', Buffer.from('garbage').toString('base64')],
    ['zlib of non-JSON', deflateSync(Buffer.from('not json')).toString('base64')],
    ['zlib of a JSON array', deflateSync(Buffer.from('[1,2]')).toString('base64')],
    [
      'a sig with a string time',
      goStyle({ 'TLS.identifier': 'a', 'TLS.sdkappid': 1, 'TLS.time': '1', 'TLS.expire': 1, 'TLS.sig': 'x' }),
    ],
    ['a very long string', 'eJ'.repeat(5000)],
  ])('%s', (_name, usersig) => {
    expect(decodeUserSig(usersig).ok).toBe(false)
  })

  it('does not inflate a zlib bomb past its limit', () => {
    const bomb = deflateSync(Buffer.alloc(10_000_000, 0x20)).toString('base64')
    expect(bomb.length).toBeLessThan(4096 * 4)
    expect(decodeUserSig(bomb.slice(0, 4096)).ok).toBe(false)
  })

  it('computes the HMAC over the documented string to sign', () => {
    const content =
      'TLS.identifier:administrator\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:86400\n'
    expect(createHmac('sha256', KEY).update(content).digest('base64')).toBe(decoded(NODE_ADMIN).sig)
  })
})
