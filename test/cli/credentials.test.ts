/**
 * Fixed development credentials (issue 13 point 3): flags and variables define the development app
 * without a config file; `--memory` without a key prints the random one; `receiptd usersig` says
 * which key it signed with.
 */
import { Api } from 'tls-sig-api-v2'
import { describe, expect, it } from 'vitest'
import { decodeUserSig, hasValidHmac } from '../../src/auth/tls-sig-api-v2.js'
import { runCli, spawnCli, waitForOutput } from '../helpers/cli.js'

async function serveAndImport(
  args: string[],
  env: Record<string, string>,
  sdkAppId: number,
  key: string,
  admin: string,
) {
  const child = spawnCli(['serve', '--memory', '--port', '0', '--log-format', 'pretty', ...args], env)
  try {
    const out = await waitForOutput(child, /curl -s .*\n/)
    const url = /listening on (http:\/\/\S+)/.exec(out)![1]!
    const sig = new Api(sdkAppId, key).genUserSig(admin, 600)
    const res = await fetch(
      `${url}/v4/im_open_login_svc/account_import?sdkappid=${sdkAppId}&identifier=${admin}&usersig=${sig}`,
      { method: 'POST', body: '{"UserID":"fixed"}' },
    )
    expect(await res.json()).toMatchObject({ ErrorCode: 0 })
    return out
  } finally {
    child.kill('SIGTERM')
    await new Promise((resolve) => child.on('close', resolve))
  }
}

describe('development credentials', { timeout: 120_000 }, () => {
  it('takes the app from --sdkappid, --secret-key and --admin', async () => {
    const out = await serveAndImport(
      ['--sdkappid', '1400000042', '--secret-key', 'flag-key', '--admin', 'ops', '--admin', 'bot'],
      {},
      1400000042,
      'flag-key',
      'ops',
    )
    expect(out).toMatch(/SDKAppID\s+1400000042/)
    expect(out).not.toContain('flag-key')
  })

  it('takes them from RECEIPTD_SDKAPPID, RECEIPTD_SECRET_KEY and RECEIPTD_ADMIN', async () => {
    await serveAndImport(
      [],
      { RECEIPTD_SDKAPPID: '1400000043', RECEIPTD_SECRET_KEY: 'env-key', RECEIPTD_ADMIN: 'ops,bot' },
      1400000043,
      'env-key',
      'bot',
    )
  })

  it('prints the random key of --memory, and it signs', async () => {
    const child = spawnCli(['serve', '--memory', '--port', '0', '--log-format', 'pretty'])
    try {
      const out = await waitForOutput(child, /curl -s .*\n/)
      const key = /secret key\s+([0-9a-f]{64})/.exec(out)![1]!
      const url = /listening on (http:\/\/\S+)/.exec(out)![1]!
      const sig = new Api(1400000000, key).genUserSig('administrator', 600)
      const res = await fetch(
        `${url}/v4/im_open_login_svc/account_import?sdkappid=1400000000&identifier=administrator&usersig=${sig}`,
        { method: 'POST', body: '{"UserID":"random"}' },
      )
      expect(await res.json()).toMatchObject({ ErrorCode: 0 })
    } finally {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.on('close', resolve))
    }
  })

  it('usersig signs with the given key and says so', async () => {
    const r = await runCli(['usersig', 'alice', '--sdkappid', '1400000044'], {
      RECEIPTD_SECRET_KEY: 'sig-key',
    })
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(
      /signed with the key given by --secret-key or RECEIPTD_SECRET_KEY \(SDKAppID 1400000044\)/,
    )
    const decoded = decodeUserSig(r.stdout.trim())
    expect(decoded.ok && decoded.doc).toMatchObject({ identifier: 'alice', sdkAppId: 1400000044 })
    expect(decoded.ok && hasValidHmac(decoded.doc, 'sig-key')).toBe(true)
  })
})
