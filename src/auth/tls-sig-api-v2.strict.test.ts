/**
 * Strict decoding (issue 11 point 1): every accepted UserSig document has one string to sign, and
 * no field can smuggle a line into it. Spellings the official libraries never write are refused.
 */
import { createHmac } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import fc from 'fast-check'
import { Api } from 'tls-sig-api-v2'
import { describe, expect, it } from 'vitest'
import {
  decodeUserSig,
  hasValidHmac,
  MAX_USERBUF_BYTES,
  signUserSig,
  stringToSign,
  type SigDocument,
} from './tls-sig-api-v2.js'

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const APP = 1400000000

type Fields = Omit<SigDocument, 'sig'>

/** A usersig as the Node library packs one, for any fields, with a sig computed by hand. */
function pack(fields: Fields, sig = hmacOf(fields)): string {
  const doc: Record<string, unknown> = {
    'TLS.ver': '2.0',
    'TLS.identifier': fields.identifier,
    'TLS.sdkappid': fields.sdkAppId,
    'TLS.time': fields.time,
    'TLS.expire': fields.expire,
  }
  if (fields.userbuf !== undefined) doc['TLS.userbuf'] = fields.userbuf
  doc['TLS.sig'] = sig
  return deflateSync(Buffer.from(JSON.stringify(doc)))
    .toString('base64')
    .replace(/\+/g, '*')
    .replace(/\//g, '-')
    .replace(/=/g, '_')
}

const hmacOf = (fields: Fields) => createHmac('sha256', KEY).update(stringToSign(fields)).digest('base64')

/** Fields that decodeUserSig accepts once packed; undefined for those it refuses. */
function accepted(fields: Fields): Fields | undefined {
  const r = decodeUserSig(pack(fields))
  return r.ok ? fields : undefined
}

/** Reads a string to sign back into its fields: a left inverse of stringToSign over accepted fields. */
function parseStringToSign(s: string): Fields {
  const lines = s.split('\n')
  expect(lines.pop()).toBe('')
  const value = (i: number, name: string) => {
    const prefix = `TLS.${name}:`
    expect(lines[i]!.startsWith(prefix)).toBe(true)
    return lines[i]!.slice(prefix.length)
  }
  expect([4, 5]).toContain(lines.length)
  return {
    identifier: value(0, 'identifier'),
    sdkAppId: Number(value(1, 'sdkappid')),
    time: Number(value(2, 'time')),
    expire: Number(value(3, 'expire')),
    userbuf: lines.length === 5 ? value(4, 'userbuf') : undefined,
  }
}

/** Pieces that make an identifier or userbuf look like more lines of the string to sign. */
const fragment = fc.oneof(
  fc.constantFrom(
    '\n',
    'TLS.sdkappid:',
    'TLS.time:',
    'TLS.expire:',
    'TLS.userbuf:',
    ':',
    '=',
    '\r',
    '\u0000',
  ),
  fc.stringMatching(/^[A-Za-z0-9+/]{0,8}$/),
  fc.integer({ min: 0, max: 4_000_000_000 }).map(String),
  fc.string({ maxLength: 4 }),
)
const hostileText = fc.array(fragment, { maxLength: 8 }).map((parts) => parts.join(''))
const fields: fc.Arbitrary<Fields> = fc.record({
  identifier: fc.oneof(hostileText, fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/)),
  sdkAppId: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  time: fc.integer({ min: 0, max: 4_000_000_000 }),
  expire: fc.integer({ min: 0, max: 4_000_000_000 }),
  userbuf: fc.option(
    fc.oneof(
      hostileText,
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
    ),
    { nil: undefined },
  ),
})

describe('the string to sign is injective over accepted UserSigs', () => {
  it('reads back into the very fields it was made from', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const ok = accepted(f)
        if (ok !== undefined) expect(parseStringToSign(stringToSign(ok))).toEqual(ok)
      }),
      { numRuns: 2000 },
    )
  })

  it('never gives two different accepted tuples the same HMAC input', () => {
    // The forgery of issue 11, generalised: an identifier carrying lines of its own, and the
    // tuple a line-by-line reader finds in the same string to sign.
    const smuggled = fc
      .tuple(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.option(hostileText, { nil: undefined }),
      )
      .map(([id, n, t, e, buf]) =>
        [
          id,
          `TLS.sdkappid:${n}`,
          `TLS.time:${t}`,
          `TLS.expire:${e}`,
          ...(buf === undefined ? [] : [`TLS.userbuf:${buf}`]),
        ].join('\n'),
      )
    const tuple = fields.chain((f) =>
      fc.oneof(
        fc.constant(f),
        smuggled.map((identifier) => ({ ...f, identifier })),
        smuggled.map((s) => ({ ...f, userbuf: s })),
      ),
    )
    fc.assert(
      fc.property(tuple, (a) => {
        const b = readLines(stringToSign(a))
        if (b === undefined) return
        expect(stringToSign(b)).toBe(stringToSign(a))
        if (accepted(a) !== undefined && accepted(b) !== undefined) expect(b).toEqual(a)
      }),
      { numRuns: 3000 },
    )
  })
})

/** The tuple whose fields end at the first newline of each line, the rest of the string its userbuf. */
function readLines(s: string): Fields | undefined {
  const m =
    /^TLS\.identifier:([^\n]*)\nTLS\.sdkappid:(\d+)\nTLS\.time:(\d+)\nTLS\.expire:(\d+)\n(?:TLS\.userbuf:([^]*)\n)?$/.exec(
      s,
    )
  if (m === null) return undefined
  const [sdkAppId, time, expire] = [m[2], m[3], m[4]].map(Number) as [number, number, number]
  if (![sdkAppId, time, expire].every(Number.isSafeInteger)) return undefined
  return { identifier: m[1]!, sdkAppId, time, expire, userbuf: m[5] }
}

describe('decodeUserSig is strict', () => {
  // Spec §2.2's vector: its sig has both `+` and `/`.
  const good: Fields = {
    identifier: 'xiaojun',
    sdkAppId: APP,
    time: 1700000000,
    expire: 15552000,
    userbuf: undefined,
  }
  const sig = hmacOf(good)
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  /** The last character with one of its two unused bits set: the same bytes, spelled differently. */
  const dirty = sig.slice(0, 42) + B64[B64.indexOf(sig[42]!) ^ 1]! + '='

  it('refuses the identifier of issue 11 and its re-packed admin UserSig', () => {
    const hostile = {
      ...good,
      identifier: `administrator\nTLS.sdkappid:${APP}\nTLS.time:1\nTLS.expire:4000000000\nTLS.userbuf:AAAA`,
    }
    expect(decodeUserSig(pack(hostile)).ok).toBe(false)
    const forged: Fields = {
      identifier: 'administrator',
      sdkAppId: APP,
      time: 1,
      expire: 4000000000,
      userbuf: `AAAA\nTLS.sdkappid:${APP}\nTLS.time:${good.time}\nTLS.expire:${good.expire}`,
    }
    expect(stringToSign(forged)).toBe(stringToSign(hostile))
    expect(decodeUserSig(pack(forged, hmacOf(hostile))).ok).toBe(false)
  })

  it.each([
    ['a newline', 'a\nb'],
    ['a carriage return', 'a\rb'],
    ['a NUL', 'a\u0000'],
    ['DEL', 'a\u007f'],
    ['nothing', ''],
    ['33 bytes', 'x'.repeat(33)],
    ['a lone surrogate', 'a\uD800'],
  ])('refuses an identifier with %s', (_name, identifier) => {
    expect(decodeUserSig(pack({ ...good, identifier })).ok).toBe(false)
    expect(() =>
      signUserSig({ sdkAppId: APP, secretKey: KEY, identifier, expireSeconds: 60, nowSeconds: 1 }),
    ).toThrow(RangeError)
  })

  it.each([
    ['URL-safe characters', sig.replace(/\//g, '_').replace(/\+/g, '-')],
    ['no padding', sig.replace(/=+$/, '')],
    ['extra padding', `${sig}=`],
    ['a space', `${sig.slice(0, 8)} ${sig.slice(8)}`],
    ['a newline', `${sig.slice(0, 8)}\n${sig.slice(8)}`],
    ['!!!', `${sig.slice(0, 8)}!!!${sig.slice(8)}`],
    ['non-zero unused bits', dirty],
    ['fewer bytes', sig.slice(0, 40)],
  ])('refuses a TLS.sig with %s', (_name, bad) => {
    expect(sig).toBe('LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=')
    expect(Buffer.from(bad, 'base64').equals(Buffer.from(sig, 'base64')) || bad.length < 44).toBe(true)
    expect(decodeUserSig(pack(good, sig)).ok).toBe(true)
    expect(decodeUserSig(pack(good, bad)).ok).toBe(false)
  })

  it.each([
    ['a newline', 'YW\nJj'],
    ['no padding', 'YWI'],
    ['URL-safe characters', '-_-_'],
    ['non-zero unused bits', 'YWJ='],
    ['too many bytes', Buffer.alloc(MAX_USERBUF_BYTES + 1).toString('base64')],
  ])('refuses a TLS.userbuf with %s', (_name, userbuf) => {
    expect(decodeUserSig(pack({ ...good, userbuf })).ok).toBe(false)
  })

  it('accepts an empty userbuf and one of the largest size, each in its own string to sign', () => {
    for (const userbuf of ['', Buffer.alloc(MAX_USERBUF_BYTES, 7).toString('base64')]) {
      const r = decodeUserSig(pack({ ...good, userbuf }))
      expect(r.ok && hasValidHmac(r.doc, KEY)).toBe(true)
    }
  })

  it('accepts the outer string with its padding or without, and no other spelling', () => {
    const usersig = pack(good)
    const bare = usersig.replace(/_+$/, '')
    expect(decodeUserSig(usersig).ok).toBe(true)
    expect(decodeUserSig(bare).ok).toBe(true)
    const std = usersig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=')
    for (const bad of [
      `${usersig}_`,
      `${bare}___`,
      `${usersig.slice(0, 5)} ${usersig.slice(5)}`,
      `${usersig.slice(0, 5)}\n${usersig.slice(5)}`,
      `!!!${usersig}`,
      `${usersig.slice(0, 5)}_${usersig.slice(5)}`,
      std === usersig ? `${usersig}!` : std,
    ]) {
      expect(decodeUserSig(bad).ok, JSON.stringify(bad)).toBe(false)
    }
  })
})

describe('UserSigs of the official tls-sig-api-v2 package', () => {
  it('verify with and without a userbuf', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/),
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.option(fc.uint8Array({ maxLength: 256 }), { nil: undefined }),
        (identifier, expire, userbuf) => {
          const api = new Api(APP, KEY)
          const usersig =
            userbuf === undefined
              ? api.genUserSig(identifier, expire)
              : api.genSig(identifier, expire, Buffer.from(userbuf))
          const r = decodeUserSig(usersig)
          expect(r.ok).toBe(true)
          if (!r.ok) return
          expect(r.doc).toMatchObject({ identifier, sdkAppId: APP, expire })
          expect(r.doc.userbuf).toBe(
            userbuf === undefined ? undefined : Buffer.from(userbuf).toString('base64'),
          )
          expect(hasValidHmac(r.doc, KEY)).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})
