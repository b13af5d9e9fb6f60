/**
 * Group read receipts at 200 and 100,000 members, in one run, over real HTTP against a file-backed
 * SQLite store: `npx tsx bench/group-receipts.ts`. Not part of the test suite.
 *
 * Both groups get 10,000 receipt messages; each member reads five of ten blocks of 1,000 messages
 * (alternating, so every message is read by exactly half the members, in runs). Then a few more
 * messages, each read by a chosen share of the members (one, 0.1 %, 1 %, 10 %, all but one), for
 * detail pages at every density. Setup writes those rows straight into the store's tables; every
 * measured call goes through the v4 API.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { MAX_SEQ, nodeOf } from '../src/domain/read-state/interval-nodes.js'
import { normalize, subtract, type SeqRange } from '../src/domain/read-state/seq-ranges.js'
import { SQLITE_FILE, type SqliteStore } from '../src/store/sqlite/sqlite-store.js'
import { startTestServer, testApp, testConfig, type TestServer } from '../test/helpers/server.js'

const MESSAGES = 10_000
const BLOCK = 1_000
const SIZES = [200, 100_000]
const G = 'group_open_http_svc/'

const dir = mkdtempSync(join(tmpdir(), 'receiptd-bench-'))
const app = testApp()
const config = testConfig([
  { ...app, limits: { ...app.limits, groupReceiptMaxMembers: 100_000, groupMsgPerSecond: 0 } },
])
const server: TestServer = await startTestServer({
  ...config,
  store: { ...config.store, memory: false, dataDir: dir },
})
const db = (server.receiptd.store as SqliteStore).database

const member = (n: number) => `m${n}`
/** Member n reads block b when n + b is even: 5 runs of 1,000 seqs each, half the readers per message. */
const reads = (n: number, b: number) => (n + b) % 2 === 0
/** Messages after the blocks, each read by a share of the members of a group of `size`. */
const DENSITIES: { name: string; reads: (n: number, size: number) => boolean }[] = [
  { name: '1 reader', reads: (n, size) => n === size },
  { name: '0.1 % readers', reads: (n) => n % 1000 === 7 },
  { name: '1 % readers', reads: (n) => n % 100 === 7 },
  { name: '10 % readers', reads: (n) => n % 10 === 7 },
  { name: 'all but 1 reader', reads: (n) => n !== 1 },
]
const densitySeq = (d: number) => MESSAGES + 1 + d
/** Member n's read ranges: its blocks and the density messages it read. */
function rangesOf(n: number, size: number): SeqRange[] {
  const out: SeqRange[] = []
  for (let b = 0; b < MESSAGES / BLOCK; b++)
    if (reads(n, b)) out.push({ lo: b * BLOCK + 1, hi: (b + 1) * BLOCK })
  DENSITIES.forEach((d, i) => d.reads(n, size) && out.push({ lo: densitySeq(i), hi: densitySeq(i) }))
  return normalize(out)
}

async function call(command: string, body: unknown) {
  const r = await server.call(G + command, body)
  if (r.ErrorCode !== 0) throw new Error(`${command}: ${r.ErrorCode} ${r.ErrorInfo}`)
  return r
}

async function load(groupId: string, members: number): Promise<void> {
  await call('create_group', { GroupId: groupId, Type: 'Public', Name: groupId })
  const { gid } = db
    .prepare('SELECT gid FROM groups WHERE app_id = ? AND group_id = ?')
    .get(app.sdkAppId, groupId) as {
    gid: number
  }
  db.transaction(() => {
    const m = db.prepare(
      `INSERT INTO group_members (app_id, gid, member_no, user_id, role, join_seq, join_time) VALUES (?, ?, ?, ?, 'Member', 0, 0)`,
    )
    const r = db.prepare(
      'INSERT INTO group_read_ranges (app_id, gid, member_no, lo, hi, node) VALUES (?, ?, ?, ?, ?, ?)',
    )
    const gap = db.prepare(
      'INSERT INTO group_unread_gaps (app_id, gid, member_no, lo, hi, node) VALUES (?, ?, ?, ?, ?, ?)',
    )
    for (let n = 1; n <= members; n++) {
      m.run(app.sdkAppId, gid, n, member(n))
      const ranges = rangesOf(n, members)
      for (const x of ranges) r.run(app.sdkAppId, gid, n, x.lo, x.hi, nodeOf(x.lo, x.hi))
      for (const x of subtract([{ lo: 1, hi: MAX_SEQ }], ranges)) {
        gap.run(app.sdkAppId, gid, n, x.lo, x.hi, nodeOf(x.lo, x.hi))
      }
    }
    const msg = db.prepare(
      `INSERT INTO group_messages (app_id, gid, seq, sender, random, time, body, body_hash, priority, online_only,
         receipt, member_bound, audience, read_count)
       VALUES (?, ?, ?, 'administrator', ?, 1700000000, ?, ?, 'Normal', 0, 1, ?, ?, ?)`,
    )
    const body = JSON.stringify([{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }])
    for (let s = 1; s <= MESSAGES; s++) {
      const b = Math.floor((s - 1) / BLOCK)
      let readers = 0
      for (let n = 1; n <= members; n++) if (reads(n, b)) readers++
      msg.run(app.sdkAppId, gid, s, s, body, `h${s}`, members + 1, members, readers)
    }
    DENSITIES.forEach((d, i) => {
      let readers = 0
      for (let n = 1; n <= members; n++) if (d.reads(n, members)) readers++
      const s = densitySeq(i)
      msg.run(app.sdkAppId, gid, s, s, body, `h${s}`, members + 1, members, readers)
    })
    db.prepare('UPDATE groups SET last_seq = ?, next_member_no = ?, member_count = ? WHERE gid = ?').run(
      densitySeq(DENSITIES.length - 1),
      members + 1,
      members,
      gid,
    )
  })()
}

function stats(ms: number[]): { median: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b)
  return {
    median: s[Math.floor(s.length / 2)]!,
    p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]!,
  }
}

async function time(n: number, f: (i: number) => Promise<unknown>): Promise<{ median: number; p99: number }> {
  for (let i = 0; i < 20; i++) await f(i + n) // warm-up
  const ms: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await f(i)
    ms.push(performance.now() - t)
  }
  return stats(ms)
}

const seqList = (from: number) => Array.from({ length: 50 }, (_, i) => ({ MsgSeq: from + i }))
const rows: [string, string, string, string][] = []
const fmt = (x: number) => x.toFixed(2)
const ROUNDS = 300

const t = performance.now()
for (const size of SIZES) await load(`g${size}`, size)
const loadSeconds = (performance.now() - t) / 1000

// Correctness check of the loaded state through the API before timing it.
const check = await call('get_group_msg_receipt', { GroupId: 'g100000', MsgSeqList: [{ MsgSeq: 1 }] })
console.error('check', JSON.stringify(check.GroupMsgReceiptList))

const baseline = await time(ROUNDS, () =>
  server.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'administrator' }] }),
)
rows.push(['baseline: account_check, 1 id', '-', fmt(baseline.median), fmt(baseline.p99)])

const counts: Record<number, number> = {}
const acks: Record<number, number> = {}
for (const size of SIZES) {
  const c = await time(ROUNDS, (i) =>
    call('get_group_msg_receipt', {
      GroupId: `g${size}`,
      MsgSeqList: seqList(1 + ((i * 37) % (MESSAGES - 50))),
    }),
  )
  counts[size] = c.median
  rows.push([`get_group_msg_receipt, 50 seqs`, size.toLocaleString('en'), fmt(c.median), fmt(c.p99)])
  // Each call: a different member reads 50 messages of a block it had not read (50 counter moves).
  const a = await time(ROUNDS, (i) => {
    const n = 1 + (i % size)
    const b = reads(n, 0) ? 1 : 0
    const from = b * BLOCK + 1 + Math.floor(i / size) * 50 + (i % 17) * 50
    return call('group_msg_receipt', {
      GroupId: `g${size}`,
      From_Account: member(n),
      MsgSeqList: seqList(from),
    })
  })
  acks[size] = a.median
  rows.push([`group_msg_receipt, 50 seqs`, size.toLocaleString('en'), fmt(a.median), fmt(a.p99)])
}

for (const filter of [0, 1]) {
  const d = await time(ROUNDS, (i) =>
    call('get_group_msg_receipt_detail', {
      GroupId: 'g100000',
      MsgSeq: 1 + ((i * 7919) % MESSAGES),
      Filter: filter,
      Cursor: i % 3 === 0 ? '' : String((i * 331) % 99_000),
      Count: 200,
    }),
  )
  rows.push([
    `get_group_msg_receipt_detail, Count 200, Filter ${filter}`,
    '100,000',
    fmt(d.median),
    fmt(d.p99),
  ])
}

// Detail pages at every density, both filters, from the start and from the middle of the group.
for (const [i, d] of DENSITIES.entries()) {
  for (const filter of [0, 1]) {
    const r = await time(60, (k) =>
      call('get_group_msg_receipt_detail', {
        GroupId: 'g100000',
        MsgSeq: densitySeq(i),
        Filter: filter,
        Cursor: k % 2 === 0 ? '' : '50000',
        Count: 200,
      }),
    )
    rows.push([`detail, ${d.name}, Filter ${filter}, Count 200`, '100,000', fmt(r.median), fmt(r.p99)])
  }
}

// A new message read by one member, listed by readers from the start, as sent through the API.
const sent = await call('send_group_msg', {
  GroupId: 'g100000',
  Random: 1,
  MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 's' } }],
  NeedReadReceipt: 1,
})
await call('group_msg_receipt', {
  GroupId: 'g100000',
  From_Account: member(100_000),
  MsgSeqList: [{ MsgSeq: sent.MsgSeq }],
})
const sparse = await time(30, () =>
  call('get_group_msg_receipt_detail', {
    GroupId: 'g100000',
    MsgSeq: sent.MsgSeq,
    Filter: 0,
    Cursor: '',
    Count: 200,
  }),
)
rows.push([
  'detail, Filter 0, 1 reader among 100,000, sent and read through the API',
  '100,000',
  fmt(sparse.median),
  fmt(sparse.p99),
])

db.pragma('wal_checkpoint(TRUNCATE)')
const file = statSync(join(dir, SQLITE_FILE)).size
let tables = ''
try {
  const per = db
    .prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 6')
    .all() as { name: string; bytes: number }[]
  tables = per.map((p) => `${p.name} ${(p.bytes / 1e6).toFixed(1)} MB`).join(', ')
} catch {
  tables = 'dbstat not available'
}
const ranges = (db.prepare('SELECT count(*) AS n FROM group_read_ranges').get() as { n: number }).n
const rss = process.memoryUsage().rss

console.log(
  `\n## Group read receipts (${MESSAGES.toLocaleString('en')} receipt messages per group, each read by half the members in runs)\n`,
)
console.log('| measurement | members | median ms | p99 ms |')
console.log('|---|---|---|---|')
for (const r of rows) console.log(`| ${r.join(' | ')} |`)
console.log(
  `\n| ratio 100k / 200 (median) | get_group_msg_receipt ${fmt(counts[100_000]! / counts[200]!)}× | group_msg_receipt ${fmt(acks[100_000]! / acks[200]!)}× |`,
)
console.log('|---|---|---|')
console.log(`\n| storage | value |\n|---|---|`)
console.log(`| database file, both groups (WAL checkpointed) | ${(file / 1e6).toFixed(1)} MB |`)
console.log(`| largest tables/indexes | ${tables} |`)
console.log(
  `| read ranges stored (vs ${((MESSAGES * (SIZES[0]! + SIZES[1]!)) / 2).toLocaleString('en')} (message, reader) pairs) | ${ranges.toLocaleString('en')} |`,
)
console.log(`| process RSS after the run | ${(rss / 1e6).toFixed(0)} MB |`)
console.log(`| setup (bulk load) | ${loadSeconds.toFixed(1)} s |`)

await server.close()
rmSync(dir, { recursive: true, force: true })
