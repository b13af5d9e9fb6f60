/**
 * `npm run bench [-- --quick]`: every scenario against receiptd and against the bare Node.js
 * baseline at the same concurrency, in one run, with the ratio of the two. The full run writes
 * bench/results.md and bench/ratios.svg.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { load, startBare, startReceiptdProcess } from './harness.js'
import { markdownTable, ratioChart, type Row } from './report.js'
import { scenarios } from './scenarios.js'

const quick = process.argv.includes('--quick')
const seconds = quick ? 3 : 10
const connections = 64

const bare = await startBare()
const receiptd = await startReceiptdProcess()
const rows: Row[] = []
try {
  for (const s of scenarios.filter((x) => !quick || !x.slow)) {
    await s.setup?.(receiptd.url)
    // Warm both up, so the JIT and SQLite's cache are in the same state for the measurement.
    await load(receiptd.url, s.path, (i) => s.body(i + 10_000_000), { seconds: quick ? 2 : 3, connections })
    await load(bare.url, s.path, s.body, { seconds: quick ? 2 : 3, connections })
    const b = await load(bare.url, s.path, s.body, { seconds, connections })
    const r = await load(receiptd.url, s.path, s.body, { seconds, connections })
    if (r.errors > 0) throw new Error(`${s.name}: ${r.errors} answers were not OK`)
    rows.push({ scenario: s.name, kind: s.kind, receiptd: r, bare: b })
    process.stdout.write(
      `${s.name}: ${Math.round(r.requestsPerSecond)} req/s vs ${Math.round(b.requestsPerSecond)}\n`,
    )
  }
} finally {
  await receiptd.stop()
  await bare.stop()
}

const table = markdownTable(rows)
process.stdout.write(`\n${table}\n`)
if (!quick) {
  const dir = fileURLToPath(new URL('.', import.meta.url))
  const stamp = new Date().toISOString().slice(0, 10)
  writeFileSync(
    `${dir}results.md`,
    `# Benchmark results\n\n${stamp}, ${connections} connections, ${seconds} s per scenario, autocannon; ` +
      `receiptd and a bare Node.js server that parses the same JSON and answers the same envelope, in one run ` +
      `on the same machine.\n\n${table}\n\n![ratios](ratios.svg)\n`,
  )
  writeFileSync(`${dir}ratios.svg`, ratioChart(rows))
}
