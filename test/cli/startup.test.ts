/**
 * Every start-up failure is one line on stderr, without a stack, and a documented exit code
 * (README "Exit codes"): 2 settings, 3 store, 4 listener. One process per data folder.
 */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, spawnCli, waitForOutput } from '../helpers/cli.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'receiptd-start-'))

function expectOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^receiptd: /)
  expect(lines[0]).toMatch(pattern)
  expect(stderr).not.toMatch(/\n\s+at /)
}

describe('start-up failures', () => {
  it('exits 3 when --data names a file', async () => {
    const file = join(tmp(), 'a-file')
    writeFileSync(file, 'x')
    const r = await runCli(['serve', '--data', file, '--port', '0'])
    expect(r.code).toBe(3)
    expectOneLine(r.stderr, /is a file, not a folder/)
  })

  it('exits 3 when the database file is not a database (SQLITE_NOTADB)', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'receiptd.sqlite'), 'this is not a database, just text long enough '.repeat(50))
    const r = await runCli(['serve', '--data', dir, '--port', '0'])
    expect(r.code).toBe(3)
    expectOneLine(r.stderr, /receiptd\.sqlite is not a usable SQLite database \(SQLITE_NOTADB/)
  })

  it('exits 4 when the port is in use', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const r = await runCli(['serve', '--memory', '--port', String(port)])
      expect(r.code).toBe(4)
      expectOneLine(
        r.stderr,
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use \\(EADDRINUSE\\)`),
      )
    } finally {
      blocker.close()
    }
  })

  it('exits 4 when the host does not resolve', async () => {
    const r = await runCli(['serve', '--memory', '--port', '0', '--host', 'no-such-host.invalid'])
    expect(r.code).toBe(4)
    expectOneLine(
      r.stderr,
      /cannot listen on no-such-host\.invalid:0: the host name (does not|could not) resolve/,
    )
  })

  it('lets one process use a data folder; a second exits 3 naming the first; a crash leaves no lock', async () => {
    const dir = tmp()
    const first = spawnCli(['serve', '--data', dir, '--port', '0', '--log-format', 'pretty'])
    await waitForOutput(first, /curl -s/)
    const second = await runCli(['serve', '--data', dir, '--port', '0'])
    expect(second.code).toBe(3)
    expectOneLine(
      second.stderr,
      new RegExp(`another receiptd process \\(pid ${first.pid} .*\\) is using the data folder`),
    )
    // Killed without a chance to clean up: the operating system drops the lock.
    first.kill('SIGKILL')
    await new Promise((resolve) => first.on('close', resolve))
    const third = spawnCli(['serve', '--data', dir, '--port', '0', '--log-format', 'pretty'])
    try {
      await waitForOutput(third, /curl -s/)
    } finally {
      third.kill('SIGTERM')
      await new Promise((resolve) => third.on('close', resolve))
    }
  })

  it('exits 2 for a config file of an unknown type, naming the file', async () => {
    const path = join(tmp(), 'receiptd.toml')
    writeFileSync(path, '[server]\nport = 1\n')
    const r = await runCli(['serve', '--config', path])
    expect(r.code).toBe(2)
    expectOneLine(r.stderr, /receiptd\.toml: unknown config file type "\.toml"/)
  })

  it('names the file in every config error, also for unknown top-level keys and sections', async () => {
    const dir = tmp()
    for (const [text, key] of [
      ['colour: red\n', 'colour'],
      ['server: { colour: red }\n', 'server.colour'],
      ['server: 5\n', 'server'],
    ] as const) {
      const path = join(dir, 'c.yaml')
      writeFileSync(path, text)
      const r = await runCli(['serve', '--config', path])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`${path}: ${key}`)
    }
  })

  it('names options as typed and exits 2 for usage errors', async () => {
    const level = await runCli(['serve', '--memory', '--log-level', 'verbose'])
    expect(level.code).toBe(2)
    expectOneLine(level.stderr, /--log-level: expected one of/)
    const unknown = await runCli(['serve', '--colour'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown option '--colour'/)
    expect((await runCli(['nonsense'])).code).toBe(2)
  })

  it('refuses contradictory settings', async () => {
    for (const args of [
      ['--memory', '--durability', 'strict'],
      ['--database', 'postgres://x@127.0.0.1/db', '--durability', 'strict'],
      ['--memory', '--database', 'postgres://x@127.0.0.1/db'],
      ['--memory', '--data', tmp()],
    ]) {
      const r = await runCli(['serve', ...args])
      expect(r.code).toBe(2)
      expectOneLine(r.stderr, /contradict|has no effect/)
    }
    const dir = tmp()
    const path = join(dir, 'apps.json')
    writeFileSync(path, JSON.stringify({ apps: [{ sdkAppId: 1, secretKey: 'k' }] }))
    const r = await runCli(['serve', '--config', path, '--secret-key', 'other'])
    expect(r.code).toBe(2)
    expectOneLine(r.stderr, /--secret-key define the development app, but .*apps\.json lists apps/)
  })

  it('prints its version', async () => {
    const r = await runCli(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })
})

describe('receiptd usersig and config print', () => {
  it('refuses an empty UserID', async () => {
    const r = await runCli(['usersig', '', '--secret-key', 'k'])
    expect(r.code).toBe(2)
    expectOneLine(r.stderr, /the UserID "" is empty/)
  })

  it('says plainly when there is no key to sign with, and never creates one', async () => {
    const dir = join(tmp(), 'data')
    const r = await runCli(['usersig', 'alice', '--data', dir])
    expect(r.code).toBe(2)
    expectOneLine(r.stderr, /no development app to sign for: .*dev-app\.json does not exist/)
    mkdirSync(dir)
    const again = await runCli(['usersig', 'alice', '--data', dir])
    expect(again.code).toBe(2)
  })

  it('shows what serve would run with, given the same flags', async () => {
    const r = await runCli([
      'config',
      'print',
      '--memory',
      '--port',
      '9000',
      '--sdkappid',
      '1400000042',
      '--secret-key',
      'sekrit',
    ])
    expect(r.code).toBe(0)
    const shown = JSON.parse(r.stdout)
    expect(shown.server.port).toBe(9000)
    expect(shown.store.memory).toBe(true)
    expect(shown.apps).toEqual([expect.objectContaining({ sdkAppId: 1400000042, admins: ['administrator'] })])
    expect(r.stdout).not.toContain('sekrit')
    const fresh = await runCli(['config', 'print', '--data', join(tmp(), 'none')])
    expect(JSON.parse(fresh.stdout).apps[0].secretKey).toMatch(
      /created in .*dev-app\.json on the first start/,
    )
  })
})
