import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { callbackDefaults } from '../../src/config/config.js'
import { loadConfig } from '../../src/config/load.js'
import { callbackCommands } from '../../src/webhooks/events.js'

const dir = mkdtempSync(join(tmpdir(), 'receiptd-config-'))

function load(callback: string) {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`)
  const body = `apps:\n  - sdkAppId: 1400000000\n    secretKey: k\n    callback:\n${callback
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n`
  writeFileSync(file, body)
  return () => loadConfig({ config: file }, {}).apps[0]!.callback
}

describe('apps[].callback', () => {
  it('takes the defaults of design.md decision 12: all commands, 2 s, deliver, 3 retries', () => {
    expect(load('url: http://127.0.0.1:9000/im')()).toEqual({
      ...callbackDefaults,
      url: 'http://127.0.0.1:9000/im',
    })
    expect(callbackDefaults).toMatchObject({
      token: undefined,
      commands: callbackCommands,
      beforeSendTimeoutMs: 2000,
      timeoutPolicy: 'deliver',
      afterEventTimeoutMs: 2000,
      retries: 3,
    })
  })

  it('reads every setting', () => {
    const cb = load(
      [
        'url: https://example.com/cb?x=1',
        'token: xxxxyyyy',
        'commands: [C2C.CallbackBeforeSendMsg, Group.CallbackAfterReadReceipt]',
        'beforeSendTimeoutMs: 500',
        'timeoutPolicy: reject',
        'afterEventTimeoutMs: 3000',
        'retries: 0',
        'retryBackoffMs: 250',
      ].join('\n'),
    )()
    expect(cb).toEqual({
      url: 'https://example.com/cb?x=1',
      token: 'xxxxyyyy',
      commands: ['C2C.CallbackBeforeSendMsg', 'Group.CallbackAfterReadReceipt'],
      beforeSendTimeoutMs: 500,
      timeoutPolicy: 'reject',
      afterEventTimeoutMs: 3000,
      retries: 0,
      retryBackoffMs: 250,
    })
  })

  it.each([
    ['url: ftp://x', 'apps[0].callback.url: expected an http(s) URL'],
    ['url: http://x\ntoken: ""', 'apps[0].callback.token: expected a non-empty string'],
    ['url: http://x\ncommands: [C2C.CallbackAfterMsgRead]', 'apps[0].callback.commands[0]: expected one of'],
    ['url: http://x\ncommands: C2C.CallbackAfterMsgReport', 'apps[0].callback.commands: expected a list'],
    [
      'url: http://x\nbeforeSendTimeoutMs: 0',
      'apps[0].callback.beforeSendTimeoutMs: expected a whole number',
    ],
    ['url: http://x\ntimeoutPolicy: drop', 'apps[0].callback.timeoutPolicy: expected one of deliver, reject'],
    ['url: http://x\nretries: -1', 'apps[0].callback.retries: expected a whole number from 0 to 100'],
    ['url: http://x\nretryBackoffMs: fast', 'apps[0].callback.retryBackoffMs: expected a whole number'],
    ['url: http://x\nsecret: s', 'apps[0].callback.secret: unknown setting'],
  ])('refuses %j naming the key', (yaml, message) => {
    expect(load(yaml)).toThrow(message)
  })
})
