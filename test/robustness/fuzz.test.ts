/**
 * Fuzzing every v4 command: random and mutated bodies, query strings, types, sizes, encodings,
 * duplicate keys and prototype-pollution keys. Every answer must be HTTP 200 with a valid envelope,
 * the server must keep answering, and a refused request must leave the database unchanged.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commands } from '../../src/api/commands.js'
import { snapshot } from '../helpers/inspect.js'
import { ADMIN, SDK_APP_ID, startTestServer, type TestServer } from '../helpers/server.js'
import { sampleBodies } from './samples.js'

let server: TestServer
const paths = [...commands.keys()]

beforeAll(async () => {
  server = await startTestServer()
  await server.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob', 'carol'] })
  // A group with a message, for the group samples that name one (modify_group_msg).
  await server.call('group_open_http_svc/create_group', {
    GroupId: 'fuzzg',
    Type: 'Public',
    Name: 'fuzz',
    Owner_Account: 'alice',
    MemberList: [{ Member_Account: 'bob' }],
  })
  await server.call('group_open_http_svc/send_group_msg', {
    GroupId: 'fuzzg',
    From_Account: 'alice',
    Random: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
  })
})
afterAll(() => server.close())

const json = fc.jsonValue({ maxDepth: 4 })
const weird = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), '', ' ', '0', '1e9', 'null', [], {}),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 3000 }).map((s) => s.repeat(3)),
  json,
)
const protoKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty')

/** A sample body with one field dropped, retyped, or joined by a prototype-pollution key. */
function mutate(sample: Record<string, unknown>) {
  const keys = Object.keys(sample)
  return fc.oneof(
    fc
      .record({ key: fc.constantFrom(...(keys.length ? keys : ['x'])), value: weird })
      .map(({ key, value }) => ({
        ...sample,
        [key]: value,
      })),
    fc.constantFrom(...(keys.length ? keys : ['x'])).map((key) => {
      const copy = { ...sample }
      delete copy[key]
      return copy
    }),
    fc.record({ key: protoKeys, value: weird }).map(({ key, value }) => {
      const text = JSON.stringify(sample)
      return `{"${key}":${JSON.stringify(value) ?? 'null'}${text.length > 2 ? ',' + text.slice(1) : '}'}`
    }),
  )
}

/** Raw texts that are not a clean JSON object. */
const rawBodies = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '',
    '{',
    '{}}',
    '[]',
    '{"a":1,"a":2}',
    '{"a":"\\ud800"}',
    '\ufeff{}',
    '{"a":' + '['.repeat(100),
  ),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
)

async function expectEnvelope(res: Response): Promise<{ ActionStatus: string; ErrorCode: number }> {
  expect(res.status).toBe(200)
  const body = (await res.json()) as Record<string, unknown>
  expect(['OK', 'FAIL', 'SomeError']).toContain(body.ActionStatus)
  expect(typeof body.ErrorCode).toBe('number')
  expect(typeof body.ErrorInfo).toBe('string')
  if (body.ActionStatus === 'FAIL') expect(body.ErrorCode).not.toBe(0)
  return body as { ActionStatus: string; ErrorCode: number }
}

/** Sends, and checks a refused request changed nothing stored. */
async function send(path: string, body: unknown, raw?: string | Buffer): Promise<void> {
  const before = await snapshot(server)
  const res = await server.post(path, body, raw === undefined ? {} : { rawBody: raw })
  const answer = await expectEnvelope(res)
  if (answer.ActionStatus === 'FAIL') expect(await snapshot(server)).toBe(before)
}

describe('fuzzing every command', () => {
  it('answers mutated sample bodies with an envelope and stores nothing when refusing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...paths)
          .chain((path) => fc.tuple(fc.constant(path), mutate(sampleBodies[path] ?? {}))),
        async ([path, body]) => {
          if (typeof body === 'string') await send(path, undefined, body)
          else await send(path, body)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('answers random JSON and raw bytes with an envelope', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.oneof(json, rawBodies), async (path, body) => {
        if (typeof body === 'string' || Buffer.isBuffer(body)) await send(path, undefined, body)
        else await send(path, body)
      }),
      { numRuns: 200 },
    )
  })

  it('answers random query strings with an envelope', async () => {
    const param = fc.constantFrom(
      'sdkappid',
      'identifier',
      'usersig',
      'random',
      'contenttype',
      'x',
      '%zz',
      '',
    )
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(String(SDK_APP_ID), ADMIN, server?.sig() ?? ''),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.array(fc.tuple(param, value), { maxLength: 6 }),
        async (path, pairs) => {
          const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')
          const res = await server.post(path, sampleBodies[path] ?? {}, { query })
          await expectEnvelope(res)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('still answers afterwards', async () => {
    expect(
      (await server.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'alice' }] })).ErrorCode,
    ).toBe(0)
    const health = await fetch(`${server.url}/healthz`)
    expect(health.status).toBe(200)
  })
})
