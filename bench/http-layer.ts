/**
 * `npx tsx bench/http-layer.ts [--seconds N]`: the HTTP layer and gateway alone. A command that does
 * nothing, called through receiptd's whole front (URL, UserSig, JSON body, envelope, access log),
 * against the bare Node.js server answering the same envelope, with the same load in one run.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { load, startBare } from './harness.js'

const argv = process.argv.slice(2)
const seconds = argv.includes('--seconds') ? Number(argv[argv.indexOf('--seconds') + 1]) : 10
const connections = 64
const root = fileURLToPath(new URL('..', import.meta.url))

const child = spawn(process.execPath, ['--import', 'tsx', 'bench/noop-server.ts'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'pipe'],
})
const url = await new Promise<string>((resolve, reject) => {
  let err = ''
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString()
    const m = /listening on (http:\S+)/.exec(err)
    if (m) resolve(m[1]!)
  })
  child.on('exit', (code) => reject(new Error(`noop server exited with ${code}: ${err}`)))
})
/** CPU seconds (user + system) a process has used, from /proc: steadier than req/s on a busy machine. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function measure(target: string, pid: number) {
  const before = cpuSeconds(pid)
  const r = await load(target, 'openim/noop', body, { seconds, connections })
  if (r.errors > 0) throw new Error(`${r.errors} answers were not OK`)
  const requests = r.requestsPerSecond * seconds
  return { ...r, cpuMicros: ((cpuSeconds(pid) - before) * 1e6) / requests }
}

const body = () => ({ To_Account: 'x' })
const bare = await startBare()
try {
  await load(url, 'openim/noop', body, { seconds: 2, connections })
  await load(bare.url, 'openim/noop', body, { seconds: 2, connections })
  const b = await measure(bare.url, bare.child.pid!)
  const r = await measure(url, child.pid!)
  const line = (name: string, x: typeof r) =>
    `| ${name} | ${Math.round(x.requestsPerSecond).toLocaleString('en-US')} | ${x.p50} | ${x.p99} | ` +
    `${(x.requestsPerSecond / b.requestsPerSecond).toFixed(2)} | ${x.cpuMicros.toFixed(0)} | ${(b.cpuMicros / x.cpuMicros).toFixed(2)} |`
  process.stdout.write(
    [
      '| server | req/s | p50 ms | p99 ms | × bare | CPU µs/request | × bare (CPU) |',
      '|---|---:|---:|---:|---:|---:|---:|',
      line('bare node:http', b),
      line('receiptd, no-op command', r),
    ].join('\n') + '\n',
  )
} finally {
  child.kill('SIGTERM')
  await bare.stop()
}
