/**
 * PostgreSQL against SQLite, in one run: the hot commands (c2c_msg_read_receipt, group_msg_receipt
 * on 200 members, sendmsg, get_c2c_unread_msg_num, get_group_msg_receipt) driven against a receiptd
 * on SQLite and one on PostgreSQL with the same data and load, and PostgreSQL's throughput as a
 * ratio of SQLite's (issue 12: at least 0.3 for the two receipts). `npx tsx bench/postgres.ts`
 * (RECEIPTD_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test;
 * RECEIPTD_BENCH_SECONDS per run, default 5; RECEIPTD_BENCH_PG_INSTANCES=2 adds a run of two
 * instances on one database). Not a test.
 *
 * While each load runs, the CPU time of every receiptd process, of PostgreSQL's processes and of
 * this load generator is sampled from /proc, which shows where the time goes on a machine this
 * small, and PostgreSQL's busy backends are sampled for what they wait on.
 */
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import pg from 'pg'
import { call, load, startReceiptdProcess, type LoadResult, type Running } from './harness.js'

const url = process.env.RECEIPTD_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const schema = `receiptd_bench_${randomBytes(4).toString('hex')}`
const seconds = Number(process.env.RECEIPTD_BENCH_SECONDS ?? 5)
const pgInstances = Number(process.env.RECEIPTD_BENCH_PG_INSTANCES ?? 1)
const connections = 32
const PAIRS = 100
const PER_PAIR = 20
const MEMBERS = 200
const GROUP_MSGS = 500

/** receiptd's connections carry this name, so only their backends are sampled, not other users'. */
const APP_NAME = 'receiptd-bench'
function withAppName(u: string): string {
  const parsed = new URL(u)
  parsed.searchParams.set('application_name', APP_NAME)
  return parsed.toString()
}

const TICK = 100 // clock ticks per second of /proc/<pid>/stat on Linux
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICK
  } catch {
    return 0
  }
}
function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres'
      } catch {
        return false
      }
    })
    .map(Number)
}
/**
 * What PostgreSQL's backends are doing, sampled every 20 ms: on CPU, waiting for a lock, for the
 * WAL flush of a commit, or idle in a transaction while receiptd prepares the next statement.
 */
async function sampleWaits(until: Promise<unknown>): Promise<string> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const seen = new Map<string, number>()
  let done = false
  void until.finally(() => (done = true))
  while (!done) {
    const { rows } = await client.query<{ w: string; n: number }>(
      `SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU') || ' (' || state || ')' AS w, count(*)::int AS n
       FROM pg_stat_activity WHERE application_name = '${APP_NAME}'
         AND state <> 'idle' GROUP BY 1`,
    )
    for (const r of rows) seen.set(r.w, (seen.get(r.w) ?? 0) + r.n)
    await new Promise((r) => setTimeout(r, 20))
  }
  await client.end()
  const total = [...seen.values()].reduce((a, b) => a + b, 0)
  return [...seen]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 4)
    .map(([w, n]) => `${w} ${Math.round((100 * n) / total)}%`)
    .join(', ')
}

/** CPU cores used by each part while `fn` runs, and what the database backends waited on. */
async function measured<T>(servers: Running[], fn: () => Promise<T>) {
  const pgPids = postgresPids()
  const sample = () => ({
    receiptd: servers.reduce((n, s) => n + cpuSeconds(s.child.pid!), 0),
    postgres: pgPids.reduce((n, p) => n + cpuSeconds(p), 0),
    loader: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
    at: performance.now(),
  })
  const a = sample()
  const running = fn()
  const [value, waits] = await Promise.all([running, sampleWaits(running)])
  const b = sample()
  const wall = (b.at - a.at) / 1000
  const cores = (k: 'receiptd' | 'postgres' | 'loader') => (b[k] - a[k]) / wall
  return {
    value,
    waits,
    cpu: { receiptd: cores('receiptd'), postgres: cores('postgres'), loader: cores('loader') },
  }
}

async function parallel(n: number, count: number, fn: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < count) await fn(next++)
    }),
  )
}

interface Data {
  /** The MsgKeys of the messages each peer sent its reader. */
  keys: string[][]
}

const readers = Array.from({ length: PAIRS }, (_, i) => `r${i}`)
const peers = Array.from({ length: PAIRS }, (_, i) => `p${i}`)
const members = Array.from({ length: MEMBERS }, (_, i) => `m${i}`)

/** The same accounts, C2C messages and receipt group on one store (through `url`). */
async function setUp(url: string): Promise<Data> {
  for (const ids of [readers, peers, members.slice(0, 100), members.slice(100)]) {
    await call(url, 'im_open_login_svc/multiaccount_import', { Accounts: ids })
  }
  const keys: string[][] = readers.map(() => [])
  await parallel(16, PAIRS * PER_PAIR, async (i) => {
    const k = i % PAIRS
    const r = await call(url, 'openim/sendmsg', {
      From_Account: peers[k],
      To_Account: readers[k],
      MsgRandom: i,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `m${i}` } }],
      IsNeedReadReceipt: 1,
    })
    keys[k]!.push(r.MsgKey as string)
  })
  await call(url, 'group_open_http_svc/create_group', {
    GroupId: 'bench',
    Type: 'Public',
    Name: 'bench',
    Owner_Account: members[0],
    MemberList: members.slice(1, 100).map((m) => ({ Member_Account: m })),
  })
  await call(url, 'group_open_http_svc/add_group_member', {
    GroupId: 'bench',
    MemberList: members.slice(100).map((m) => ({ Member_Account: m })),
  })
  await parallel(8, GROUP_MSGS, (i) =>
    call(url, 'group_open_http_svc/send_group_msg', {
      GroupId: 'bench',
      From_Account: members[0],
      Random: i + 1,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `g${i}` } }],
      NeedReadReceipt: 1,
    }),
  )
  return { keys }
}

interface Scenario {
  name: string
  path: string
  body: (d: Data, i: number) => unknown
}

const scenarios: Scenario[] = [
  {
    name: 'c2c_msg_read_receipt (1 key)',
    path: 'openim/c2c_msg_read_receipt',
    body: (d, i) => {
      const k = i % PAIRS
      const key = d.keys[k]![Math.floor(i / PAIRS) % PER_PAIR]!
      return {
        Operator_Account: readers[k],
        Peer_Account: peers[k],
        C2CMsgInfo: [{ From_Account: peers[k], To_Account: readers[k], MsgKey: key }],
      }
    },
  },
  {
    name: 'group_msg_receipt (5 seqs, 200 members)',
    path: 'group_open_http_svc/group_msg_receipt',
    body: (_, i) => {
      const first = ((Math.floor(i / (MEMBERS - 1)) * 5) % GROUP_MSGS) + 1
      return {
        GroupId: 'bench',
        From_Account: members[(i % (MEMBERS - 1)) + 1],
        MsgSeqList: [0, 1, 2, 3, 4].map((d) => ({ MsgSeq: first + d })),
      }
    },
  },
  {
    name: 'sendmsg',
    path: 'openim/sendmsg',
    body: (_, i) => ({
      From_Account: peers[i % PAIRS],
      To_Account: readers[i % PAIRS],
      MsgRandom: 1_000_000 + i,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `s${i}` } }],
    }),
  },
  {
    name: 'get_c2c_unread_msg_num (1 peer)',
    path: 'openim/get_c2c_unread_msg_num',
    body: (_, i) => ({ To_Account: readers[i % PAIRS], Peer_Account: [peers[i % PAIRS]] }),
  },
  {
    name: 'get_group_msg_receipt (5 seqs, 200 members)',
    path: 'group_open_http_svc/get_group_msg_receipt',
    body: (_, i) => ({
      GroupId: 'bench',
      MsgSeqList: [0, 1, 2, 3, 4].map((d) => ({ MsgSeq: ((i * 5 + d) % GROUP_MSGS) + 1 })),
    }),
  },
]

const lite = await startReceiptdProcess({ logLevel: 'warn' })
const pgServers: Running[] = []
const rows: string[] = []
try {
  for (let n = 0; n < pgInstances; n++) {
    pgServers.push(
      await startReceiptdProcess({ postgres: { url: withAppName(url), schema }, logLevel: 'warn' }),
    )
  }
  process.stdout.write(
    `setup on each store: ${PAIRS * PER_PAIR} C2C messages, a ${MEMBERS}-member group with ${GROUP_MSGS} messages\n`,
  )
  const [liteData, pgData] = await Promise.all([setUp(lite.url), setUp(pgServers[0]!.url)])
  // Offsets keep the runs on different bodies, as distinct clients would be.
  let offset = 0
  const drive = (s: Scenario, servers: Running[], data: Data) =>
    Promise.all(
      servers.map((srv, n) =>
        load(srv.url, s.path, (i) => s.body(data, offset + n * 1_000_000 + i), {
          seconds,
          connections: connections / servers.length,
        }),
      ),
    )
  const runs: { label: string; servers: Running[]; data: Data }[] = [
    { label: 'SQLite', servers: [lite], data: liteData },
    { label: 'PostgreSQL', servers: pgServers.slice(0, 1), data: pgData },
    ...(pgServers.length > 1
      ? [{ label: `PostgreSQL ×${pgServers.length}`, servers: pgServers, data: pgData }]
      : []),
  ]
  for (const s of scenarios) {
    let sqliteRps = 0
    for (const run of runs) {
      await drive(s, run.servers, run.data) // warm-up of the process and the database's cache
      offset += 5_000_000
      const { value, cpu, waits } = await measured(run.servers, () => drive(s, run.servers, run.data))
      const sum = (f: (r: LoadResult) => number) => value.reduce((n, r) => n + f(r), 0)
      const rps = sum((r) => r.requestsPerSecond)
      const p99 = Math.max(...value.map((r) => r.p99))
      if (sum((r) => r.errors) > 0) throw new Error(`${s.name}: ${sum((r) => r.errors)} answers were not OK`)
      if (run.label === 'SQLite') sqliteRps = rps
      rows.push(
        `| ${s.name} | ${run.label} | ${Math.round(rps)} | ${(rps / sqliteRps).toFixed(2)} | ${value[0]!.p50} | ${p99} | ` +
          `${cpu.receiptd.toFixed(2)} | ${cpu.postgres.toFixed(2)} | ${cpu.loader.toFixed(2)} | ` +
          `${run.label === 'SQLite' ? '' : waits} |`,
      )
      process.stdout.write(`${rows[rows.length - 1]}\n`)
    }
  }
} finally {
  await lite.stop()
  for (const srv of pgServers) await srv.stop()
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
}

process.stdout.write(
  `\n${connections} connections, ${seconds} s per run after a warm-up run, autocannon in this process; ` +
    `CPU in cores used; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\n\n` +
    '| scenario | store | req/s | × SQLite | p50 ms | p99 ms | receiptd CPU | PostgreSQL CPU | load generator CPU | busy backends |\n' +
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n' +
    rows.join('\n') +
    '\n',
)
