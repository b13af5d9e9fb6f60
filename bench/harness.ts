/**
 * Starts the servers under test as child processes and drives them with autocannon at the same
 * concurrency, so receiptd and the bare baseline are measured by one load generator in one run.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { signUserSig } from '../src/auth/tls-sig-api-v2.js'
import { freePort } from '../test/helpers/process.js'

export const SDK_APP_ID = 1400000000
export const SECRET = 'bench-secret-key-0123456789abcdef'
export const ADMIN = 'administrator'

export interface Running {
  url: string
  child: ChildProcess
  dataDir: string | undefined
  stop(): Promise<void>
}

const root = fileURLToPath(new URL('..', import.meta.url))

function startChild(args: string[], pattern: RegExp): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    const onData = (c: Buffer) => {
      out += c.toString()
      const m = pattern.exec(out)
      if (m) {
        child.stdout?.off('data', onData)
        child.stdout?.resume()
        resolve({ url: m[1]!, child })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)))
  })
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
}

export async function startBare(): Promise<Running> {
  const { url, child } = await startChild(['bench/bare-server.ts'], /listening on (http:\S+)/)
  return { url, child, dataDir: undefined, stop: stopper(child) }
}

export interface ReceiptdOptions {
  durability?: 'default' | 'strict'
  groupReceiptMaxMembers?: number
  logLevel?: string
  /** Write a V8 CPU profile of receiptd into this folder when it stops. */
  cpuProfileDir?: string
  /** Run on PostgreSQL (this URL and schema) instead of the embedded SQLite. */
  postgres?: { url: string; schema: string; poolMax?: number }
}

async function healthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`receiptd exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/healthz`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('receiptd did not become healthy within 30 s')
}

export async function startReceiptdProcess(options: ReceiptdOptions = {}): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'receiptd-bench-'))
  const config = join(dataDir, 'bench.json')
  writeFileSync(
    config,
    JSON.stringify({
      ...(options.postgres && {
        store: { postgres: { schema: options.postgres.schema, poolMax: options.postgres.poolMax ?? 10 } },
      }),
      apps: [
        {
          sdkAppId: SDK_APP_ID,
          secretKey: SECRET,
          admins: [ADMIN],
          // Load tests send far faster than Tencent's 40 messages a second per group.
          limits: {
            ratePerSecond: 0,
            groupMsgPerSecond: 0,
            groupReceiptMaxMembers: options.groupReceiptMaxMembers ?? 100_000,
          },
        },
      ],
    }),
  )
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [
      ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
      '--import',
      'tsx',
      'src/cli/main.ts',
      'serve',
      '--port',
      String(port),
      ...(options.postgres ? ['--database', options.postgres.url] : ['--data', join(dataDir, 'db')]),
      '--config',
      config,
      '--durability',
      options.durability ?? 'default',
      '--log-level',
      options.logLevel ?? 'info',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  )
  const url = `http://127.0.0.1:${port}`
  await healthy(url, child)
  return { url, child, dataDir: join(dataDir, 'db'), stop: stopper(child) }
}

export const adminQuery = (() => {
  const sig = signUserSig({
    sdkAppId: SDK_APP_ID,
    secretKey: SECRET,
    identifier: ADMIN,
    expireSeconds: 86400,
    nowSeconds: Math.floor(Date.now() / 1000),
  })
  return `sdkappid=${SDK_APP_ID}&identifier=${ADMIN}&usersig=${sig}&random=1&contenttype=json`
})()

/** One call outside the load, for setting up data; throws unless the answer is OK. */
export async function call(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/v4/${path}?${adminQuery}`, { method: 'POST', body: JSON.stringify(body) })
  const json = (await res.json()) as Record<string, unknown>
  if (json.ErrorCode !== 0) throw new Error(`${path} answered ${JSON.stringify(json)}`)
  return json
}

export interface LoadResult {
  requestsPerSecond: number
  p50: number
  p99: number
  errors: number
  non2xx: number
}

/** Drives `path` with bodies from `body(i)` for `seconds`; every answer must be an OK envelope. */
export async function load(
  url: string,
  path: string,
  body: (i: number) => unknown,
  options: { seconds: number; connections: number },
): Promise<LoadResult> {
  let i = 0
  let failed = 0
  const result = await autocannon({
    url: `${url}/v4/${path}?${adminQuery}`,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({ ...req, body: JSON.stringify(body(i++)) }),
        onResponse: (_status, responseBody) => {
          if (!responseBody.includes('"ErrorCode":0')) failed++
        },
      },
    ],
  })
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + failed,
    non2xx: result.non2xx,
  }
}
