/**
 * The cost of the SQLite group commit itself, in process and without HTTP: `npx tsx
 * bench/store-batch.ts`. Jobs shaped like sendmsg (two account lookups, the same-second duplicate
 * check, the insert with its counters, one outbox row) are submitted in waves of 64, as 64 clients
 * in flight would, and the CPU time per job is reported. CPU time rather than wall time, so a
 * busy machine changes the figure less.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { UserId } from '../src/domain/accounts/user-id.js'
import { formatMsgKey } from '../src/domain/c2c/msg-key.js'
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js'

const APP = 1400000000
const USERS = 1000
const WAVE = 64
const argv = process.argv.slice(2)
const waves = Number(argv[argv.indexOf('--waves') + 1] ?? 0) || 600
const failEvery = Number(argv[argv.indexOf('--fail-every') + 1] ?? 0) || 0
const user = (i: number) => `u${i % USERS}` as UserId

async function run(label: string, durability: 'default' | 'strict'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'receiptd-batch-'))
  const store = new SqliteStore({ dataDir: dir, durability })
  await store.transaction(APP, (tx) =>
    tx.accounts.importAccounts(
      Array.from({ length: USERS }, (_, i) => ({ userId: user(i), nick: undefined, faceUrl: undefined })),
      1,
    ),
  )
  let n = 0
  const job = (i: number) =>
    store.transaction(APP, async (tx) => {
      const from = user(i)
      const to = user(i + 1)
      const known = await tx.accounts.existing([from, to])
      if (!known.has(from) || !known.has(to)) throw new Error('unknown account')
      if (failEvery > 0 && i % failEvery === 0) throw new Error('refused before writing')
      const parts = { msgSeq: i, msgRandom: i, msgTime: 1_700_000_000 + Math.floor(i / 5000) }
      if ((await tx.c2c.findSameSecond(from, to, parts.msgRandom, parts.msgTime)) !== undefined) return
      const added = await tx.c2c.addMessage({
        from,
        to,
        ...parts,
        msgKey: formatMsgKey(parts),
        body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
        cloudCustomData: '',
        needReadReceipt: true,
        senderSees: true,
        recipientSees: true,
        uncounted: undefined,
        counted: true,
      })
      // As sendmsg does: both sides' conversation-list entries move with the message.
      if (added.added) await tx.recent.touchC2C(from, to, [to, from], parts.msgTime)
      await tx.outbox.enqueue({
        command: 'C2C.CallbackAfterSendMsg',
        orderingKey: `c2c:${from}:${to}`,
        body: {
          CallbackCommand: 'C2C.CallbackAfterSendMsg',
          From_Account: from,
          To_Account: to,
          UnreadMsgNum: added.added ? added.recipientUnreadTotal : 0,
        },
        createdMs: 0,
      })
    })
  const wave = () => Promise.allSettled(Array.from({ length: WAVE }, () => job(n++)))
  for (let w = 0; w < 50; w++) await wave() // warm-up
  const cpu = process.cpuUsage()
  const t = performance.now()
  for (let w = 0; w < waves; w++) await wave()
  const used = process.cpuUsage(cpu)
  const wall = performance.now() - t
  const jobs = waves * WAVE
  process.stdout.write(
    `${label}: ${(((used.user + used.system) / jobs) | 0).toString().padStart(4)} µs CPU/job, ` +
      `${((wall * 1000) / jobs).toFixed(1)} µs wall/job, ${jobs} jobs\n`,
  )
  await store.close()
  rmSync(dir, { recursive: true, force: true })
}

for (const durability of ['default', 'strict'] as const) await run(durability, durability)
