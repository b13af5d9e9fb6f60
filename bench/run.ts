/**
 * `npm run bench [-- --quick]`: every scenario against receiptd and against the bare Node.js
 * baseline at the same concurrency, in one run, with the ratio of the two; then the memory and
 * disk a million messages take, and group receipts at 100,000 members. The full run writes
 * bench/results.md and bench/ratios.svg; `--quick` runs shorter, smaller, and writes nothing.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { call, load, startBare, startReceiptdProcess } from './harness.js'
import { markdownTable, ratioChart, type Row } from './report.js'
import { importUsers, scenarios } from './scenarios.js'

const argv = process.argv.slice(2)
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined)
const quick = argv.includes('--quick')
/** `--only <text>`: just the scenarios whose name contains it (and their setups), no report. */
const only = option('--only')
/** `--cpu-prof <dir>`: profile receiptd during the throughput scenarios. */
const cpuProfileDir = option('--cpu-prof')
const seconds = quick ? 3 : 10
const connections = 64
const dir = fileURLToPath(new URL('.', import.meta.url))
const log = (s: string) => process.stdout.write(s + '\n')

async function throughput(): Promise<Row[]> {
  const bare = await startBare()
  const receiptd = await startReceiptdProcess({ cpuProfileDir })
  const rows: Row[] = []
  try {
    for (const s of scenarios) {
      await s.setup?.(receiptd.url)
      if (only !== undefined && !s.name.includes(only)) continue
      // Warm both up, so the JIT and SQLite's cache are in the same state for the measurement.
      await load(receiptd.url, s.path, (i) => s.body(i + 10_000_000), { seconds: 2, connections })
      await load(bare.url, s.path, s.body, { seconds: 2, connections })
      const b = await load(bare.url, s.path, s.body, { seconds, connections })
      const r = await load(receiptd.url, s.path, s.body, { seconds, connections })
      if (r.errors > 0) throw new Error(`${s.name}: ${r.errors} answers were not OK`)
      rows.push({ scenario: s.name, kind: s.kind, receiptd: r, bare: b })
      log(`${s.name}: ${Math.round(r.requestsPerSecond)} req/s, bare ${Math.round(b.requestsPerSecond)}`)
    }
  } finally {
    await receiptd.stop()
    await bare.stop()
  }
  return rows
}

/** The same write load with `default` and with `strict` durability (fsync before answering). */
async function durability(): Promise<string> {
  const lines = ['| durability | sendmsg req/s | p50 ms | p99 ms | × default |', '|---|---:|---:|---:|---:|']
  let base = 0
  for (const mode of ['default', 'strict'] as const) {
    const receiptd = await startReceiptdProcess({ durability: mode })
    try {
      await importUsers(receiptd.url, 'u', 1000)
      const body = (i: number) => ({
        From_Account: `u${i % 1000}`,
        To_Account: `u${(i + 1) % 1000}`,
        MsgRandom: i,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
      })
      await load(receiptd.url, 'openim/sendmsg', (i) => body(i + 10_000_000), { seconds: 2, connections })
      const r = await load(receiptd.url, 'openim/sendmsg', body, { seconds, connections })
      if (mode === 'default') base = r.requestsPerSecond
      lines.push(
        `| ${mode} | ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} | ${r.p50} | ${r.p99} | ` +
          `${(r.requestsPerSecond / base).toFixed(2)} |`,
      )
    } finally {
      await receiptd.stop()
    }
  }
  return lines.join('\n')
}

/** Peak resident memory of a process, from the kernel's high-water mark. */
function peakRssBytes(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) * 1024 : 0
}

const folderBytes = (path: string) =>
  readdirSync(path).reduce((sum, f) => sum + statSync(join(path, f)).size, 0)

/** 1,000,000 one-to-one messages among 100,000 users, loaded over HTTP with batchsendmsg. */
async function millionMessages(): Promise<string> {
  const users = quick ? 10_000 : 100_000
  const messages = quick ? 100_000 : 1_000_000
  const receiptd = await startReceiptdProcess()
  try {
    const started = performance.now()
    await importUsers(receiptd.url, 'p', users)
    const pending: Promise<unknown>[] = []
    for (let b = 0; b < messages / 500; b++) {
      const first = (b * 500) % users
      pending.push(
        call(receiptd.url, 'openim/batchsendmsg', {
          From_Account: `p${(first + users - 1) % users}`,
          To_Account: Array.from({ length: 500 }, (_, k) => `p${(first + k) % users}`),
          MsgRandom: b,
          IsNeedReadReceipt: 1,
          MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `message ${b}` } }],
        }),
      )
      if (pending.length === 8) await Promise.all(pending.splice(0))
    }
    await Promise.all(pending)
    const loadSeconds = (performance.now() - started) / 1000
    const rss = peakRssBytes(receiptd.child.pid!)
    const disk = folderBytes(receiptd.dataDir!)
    return [
      `| load | value |`,
      `|---|---|`,
      `| messages / users | ${messages.toLocaleString('en-US')} / ${users.toLocaleString('en-US')} |`,
      `| load time over HTTP (batchsendmsg, 500 recipients a call) | ${loadSeconds.toFixed(1)} s |`,
      `| peak RSS of receiptd | ${(rss / 2 ** 20).toFixed(0)} MiB (target < 500 MB) |`,
      `| database on disk (SQLite file and WAL) | ${(disk / 2 ** 20).toFixed(0)} MiB |`,
    ].join('\n')
  } finally {
    await receiptd.stop()
  }
}

const rows = await throughput()
const table = markdownTable(rows)
log(`\n${table}\n`)
if (only !== undefined) process.exit(0)
const durable = await durability()
log(`${durable}\n`)
const memory = await millionMessages()
log(`${memory}\n`)

if (!quick) {
  log('group receipts at 100,000 members …')
  const groups = execFileSync(process.execPath, ['--import', 'tsx', join(dir, 'group-receipts.ts')], {
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
  })
  log(groups)
  const stamp = new Date().toISOString().slice(0, 10)
  writeFileSync(
    join(dir, 'results.md'),
    [
      '# Benchmark results',
      '',
      `${stamp}. ${connections} connections, ${seconds} s per scenario after a 2 s warm-up, autocannon as the load ` +
        `generator on the same 2-core machine. receiptd (SQLite, default durability, info logging) and a bare ` +
        `Node.js server that parses the same JSON and answers the same envelope run in the same run; the ratio is ` +
        `receiptd's requests/s over the bare server's.`,
      '',
      table,
      '',
      '![ratios to the bare baseline](ratios.svg)',
      '',
      '## Durability modes',
      '',
      'The same sendmsg load against a `default` and a `strict` instance (target: strict keeps ≥ 0.5 of default).',
      '',
      durable,
      '',
      '## A million messages',
      '',
      memory,
      '',
      groups.trim(),
      '',
    ].join('\n'),
  )
  writeFileSync(join(dir, 'ratios.svg'), ratioChart(rows))
}
