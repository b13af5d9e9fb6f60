/**
 * A real full disk under the SQLite store (issue 11 points 5 and 6): receiptd keeps its data on a
 * small tmpfs, a file then takes all the space left, and messages are sent until writes fail.
 * Every request is answered in the envelope, /healthz answers 503 while writes fail and 200 once
 * space is freed, the process lives on, and every message answered OK is still there after a
 * restart. Mounting needs root: where it is refused the test is skipped, and says so.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync, closeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { UserId } from '../../src/domain/accounts/user-id.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { startTestServer, testConfig, type TestServer } from '../helpers/server.js'
import { TEST_STORE } from '../helpers/stores.js'

const APP = 1400000000

/** A tmpfs of `size` at a fresh folder, or undefined where this process may not mount. */
function mountTmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'receiptd-tmpfs-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' })
    return dir
  } catch {
    rmdirSync(dir)
    return undefined
  }
}

function unmount(dir: string): void {
  execFileSync('umount', [dir], { stdio: 'ignore' })
  rmdirSync(dir)
}

/** Writes zeros to `path` until the file system refuses more. */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w')
  const chunk = Buffer.alloc(64 * 1024)
  try {
    for (;;) writeSync(fd, chunk)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e
  } finally {
    closeSync(fd)
  }
}

const bigText = (i: number) => `${i} ${'x'.repeat(11_000)}`

async function health(server: TestServer): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/healthz`)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe.runIf(TEST_STORE === 'sqlite')('SQLite on a full disk', () => {
  it('answers every request, reports 503 while writes fail and 200 after, and loses no answered write', async (ctx) => {
    const mount = mountTmpfs('6m')
    if (mount === undefined) {
      ctx.skip('mounting a tmpfs is not allowed here (needs root)')
      return
    }
    const dataDir = join(mount, 'data')
    const filler = join(mount, 'filler')
    let server: TestServer | undefined
    try {
      mkdirSync(dataDir)
      const config = testConfig()
      server = await startTestServer({ ...config, store: { ...config.store, memory: false, dataDir } })
      expect(
        (await server.call('im_open_login_svc/multiaccount_import', { Accounts: ['a', 'b'] })).ErrorCode,
      ).toBe(0)
      fillDisk(filler)

      const answered: string[] = []
      let failed = 0
      for (let i = 0; i < 400 && failed < 5; i++) {
        const r = await server.call('openim/sendmsg', {
          From_Account: 'a',
          To_Account: 'b',
          MsgRandom: i,
          MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: bigText(i) } }],
        })
        if (r.ErrorCode === 0) answered.push(r.MsgKey as string)
        else {
          expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 91000 })
          failed++
        }
      }
      expect(failed).toBeGreaterThan(0)
      const down = await health(server)
      expect(down.status).toBe(503)
      expect(down.body).toMatchObject({ status: 'unavailable', store: 'sqlite' })
      expect(down.body.reason).toMatch(/^writes are failing: SQLITE_FULL/)

      rmSync(filler)
      expect(await health(server)).toEqual({ status: 200, body: { status: 'ok', store: 'sqlite' } })
      const after = await server.call('openim/sendmsg', {
        From_Account: 'a',
        To_Account: 'b',
        MsgRandom: 1_000_000,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'space again' } }],
      })
      expect(after.ErrorCode).toBe(0)
      answered.push(after.MsgKey as string)
      await server.close()
      server = undefined

      const reopened = new SqliteStore({ dataDir, durability: 'default' })
      const page = await reopened.read(APP, (tx) =>
        tx.c2c.history({
          viewer: 'a' as UserId,
          peer: 'b' as UserId,
          minTime: 0,
          maxTime: Number.MAX_SAFE_INTEGER,
          before: undefined,
          limit: 1000,
        }),
      )
      await reopened.close()
      expect(page.messages.map((m) => m.msgKey).sort()).toEqual([...answered].sort())
    } finally {
      await server?.close()
      unmount(mount)
    }
  })
})
