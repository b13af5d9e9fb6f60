import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load.js'

const withApp = (extra: Record<string, unknown>) => {
  const file = join(mkdtempSync(join(tmpdir(), 'receiptd-config-')), 'c.json')
  writeFileSync(file, JSON.stringify({ apps: [{ sdkAppId: 1400000001, secretKey: 'k', ...extra }] }))
  return () => loadConfig({ config: file }, {})
}

describe('apps[].groupReceiptTypes', () => {
  it('defaults to every type that can have receipts', () => {
    expect(withApp({})().apps[0]!.groupReceiptTypes).toEqual(['Private', 'Public', 'ChatRoom'])
  })

  it('accepts REST and SDK names', () => {
    expect(withApp({ groupReceiptTypes: ['Work', 'Meeting'] })().apps[0]!.groupReceiptTypes).toEqual([
      'Private',
      'ChatRoom',
    ])
    expect(withApp({ groupReceiptTypes: [] })().apps[0]!.groupReceiptTypes).toEqual([])
  })

  it('names the field for types that can never have receipts or are unknown', () => {
    expect(withApp({ groupReceiptTypes: ['AVChatRoom'] })).toThrow(
      /groupReceiptTypes\[0\]: "AVChatRoom" cannot have read receipts/,
    )
    expect(withApp({ groupReceiptTypes: ['Public', 'Community'] })).toThrow(/groupReceiptTypes\[1\]/)
    expect(withApp({ groupReceiptTypes: 'Public' })).toThrow(/groupReceiptTypes: expected a list/)
  })
})
