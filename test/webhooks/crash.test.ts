/**
 * Durability across a crash: events committed while receiptd runs, some of them in flight to a
 * receiver that never answers, are delivered by the next process after `kill -9` (at least once),
 * each conversation still in order.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Api } from 'tls-sig-api-v2'
import { afterAll, beforeAll, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { OutboxSignal } from '../../src/store/sqlite/sqlite-deliveries.js'
import { SqliteOutbox } from '../../src/store/sqlite/sqlite-outbox.js'
import { SQLITE_FILE } from '../../src/store/sqlite/sqlite-store.js'
import { Statements } from '../../src/store/sqlite/statements.js'
import { reportEvents } from '../helpers/events.js'
import { OK_ANSWER, Receiver } from '../helpers/receiver.js'
import { ADMIN, SAMPLE_KEY, SDK_APP_ID } from '../helpers/server.js'

let dir: string
let receiver: Receiver
const children: ChildProcess[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'receiptd-crash-'))
  receiver = await Receiver.start()
  const yaml = [
    'apps:',
    `  - sdkAppId: ${SDK_APP_ID}`,
    `    secretKey: ${SAMPLE_KEY}`,
    '    callback:',
    `      url: ${receiver.url}/im`,
    '      token: t0ken',
    '      retries: 5',
    '      retryBackoffMs: 10',
  ].join('\n')
  writeFileSync(join(dir, 'receiptd.yaml'), yaml)
})

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  await receiver.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Starts `receiptd serve` in its own process; resolves with its URL from the start-up log line. */
async function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'serve',
      '--data',
      join(dir, 'data'),
      '--config',
      join(dir, 'receiptd.yaml'),
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  children.push(child)
  const lines = createInterface({ input: child.stdout! })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`receiptd exited with ${code} before listening`)))
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string }
      if (entry.msg === 'receiptd started' && entry.url) resolve(entry.url)
    })
  })
  return { child, url }
}

const exited = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve))

const arrivals = (key: string) =>
  receiver
    .bodies()
    .filter((b) => b.Report_Account === key)
    .map((b) => b.UnreadMsgNum)

it('delivers after kill -9 the events that were pending or in flight', async () => {
  receiver.answer = () => 'hang'
  const first = await serve()

  // Committed by another connection to the same database file, as a command of the running server
  // would (a second store cannot open the data folder the server holds); its poll finds them.
  const db = new Database(join(dir, 'data', SQLITE_FILE))
  db.pragma('busy_timeout = 5000')
  const outbox = new SqliteOutbox(new Statements(db), SDK_APP_ID, new OutboxSignal())
  db.exec('BEGIN IMMEDIATE')
  for (const e of [...reportEvents('a', 3), ...reportEvents('b', 2)]) await outbox.enqueue(e)
  db.exec('COMMIT')
  db.close()

  // The head of each conversation is in flight, unanswered.
  await receiver.waitFor((r) => r.length === 2)
  const gone = exited(first.child)
  first.child.kill('SIGKILL')
  await gone

  receiver.answer = () => ({ status: 200, body: OK_ANSWER })
  const second = await serve()
  await receiver.waitFor((r) => r.length === 2 + 5)
  expect(arrivals('a')).toEqual([0, 0, 1, 2])
  expect(arrivals('b')).toEqual([0, 0, 1])

  // The delivery log of the new process agrees.
  const sig = new Api(SDK_APP_ID, SAMPLE_KEY).genUserSig(ADMIN, 3600)
  const res = await fetch(
    `${second.url}/api/apps/${SDK_APP_ID}/webhooks/deliveries?sdkappid=${SDK_APP_ID}&identifier=${ADMIN}&usersig=${sig}`,
  )
  const page = (await res.json()) as { Deliveries: { Status: string }[] }
  expect(page.Deliveries.map((d) => d.Status)).toEqual(Array(5).fill('delivered'))

  const stopped = exited(second.child)
  second.child.kill('SIGTERM')
  await stopped
})
