/**
 * The moving parts of bench/webhooks.ts, each in a worker thread so they share the machine's cores
 * with receiptd as separate programs would: a keep-alive receiver that answers Tencent's OK at
 * once, a closed-loop load (as many requests in flight as connections) and an open-loop load (a
 * fixed rate, each request's latency recorded).
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { signUserSig } from '../src/auth/tls-sig-api-v2.js'
import type { AppConfig } from '../src/config/config.js'

const undiciPath = createRequire(import.meta.url).resolve('undici')

const RECEIVER = `
const { parentPort } = require('node:worker_threads')
let count = 0
const server = require('node:http').createServer((req, res) => {
  req.resume()
  req.on('end', () => { count++; res.writeHead(200, { 'content-type': 'application/json' }).end('{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}') })
})
server.keepAliveTimeout = 60000
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }))
parentPort.on('message', () => parentPort.postMessage({ count }))
`

const CLOSED_LOOP = `
const { parentPort, workerData: w } = require('node:worker_threads')
const { Pool } = require(w.undici)
const pool = new Pool(w.origin, { connections: w.connections, pipelining: 1 })
let ok = 0, failed = 0, i = 0
const until = Date.now() + w.ms
async function loop() {
  while (Date.now() < until) {
    const body = w.bodies[i++ % w.bodies.length]
    const res = await pool.request({ method: 'POST', path: w.path, headers: { 'content-type': 'application/json' }, body })
    const text = await res.body.text()
    if (res.statusCode === 200 && text.includes('"ErrorCode":0')) ok++; else failed++
  }
}
Promise.all(Array.from({ length: w.connections }, loop)).then(() => pool.close()).then(() => parentPort.postMessage({ ok, failed }))
`

// A request every 1000/rate ms whatever the answers do, so a slow server shows as latency rather
// than as fewer requests (no coordinated omission).
const OPEN_LOOP = `
const { parentPort, workerData: w } = require('node:worker_threads')
const { Pool } = require(w.undici)
const pool = new Pool(w.origin, { connections: w.connections, pipelining: 1 })
const latencies = []
let failed = 0, i = 0
const start = performance.now()
const total = Math.round(w.rate * w.ms / 1000)
const sent = []
function one(at) {
  const body = w.bodies[i++ % w.bodies.length]
  return pool.request({ method: 'POST', path: w.path, headers: { 'content-type': 'application/json' }, body })
    .then((res) => res.body.text().then((text) => {
      if (res.statusCode === 200 && text.includes('"ErrorCode":0')) latencies.push(performance.now() - at); else failed++
    }), () => failed++)
}
function tick() {
  const due = Math.min(total, Math.floor((performance.now() - start) * w.rate / 1000) + 1)
  while (sent.length < due) sent.push(one(start + sent.length * 1000 / w.rate))
  if (sent.length < total) setTimeout(tick, 1)
  else Promise.all(sent).then(() => pool.close()).then(() => parentPort.postMessage({ latencies, failed }))
}
tick()
`

export interface ReceiverThread {
  port: number
  count(): Promise<number>
  stop(): Promise<number>
}

export function receiver(): Promise<ReceiverThread> {
  const worker = new Worker(RECEIVER, { eval: true })
  const count = () =>
    new Promise<number>((resolve) => {
      worker.once('message', (m: { count: number }) => resolve(m.count))
      worker.postMessage('count')
    })
  return new Promise((resolve) =>
    worker.once('message', (m: { port: number }) =>
      resolve({ port: m.port, count, stop: () => worker.terminate() }),
    ),
  )
}

function v4Path(app: AppConfig, command: string): string {
  const sig = signUserSig({
    sdkAppId: app.sdkAppId,
    secretKey: app.secretKey,
    identifier: 'administrator',
    expireSeconds: 86400,
    nowSeconds: Math.floor(Date.now() / 1000),
  })
  return `/v4/${command}?sdkappid=${app.sdkAppId}&identifier=administrator&usersig=${sig}&random=1&contenttype=json`
}

/** `connections` requests in flight for `ms`; counts answers with ErrorCode 0. */
export function closedLoop(
  url: string,
  app: AppConfig,
  command: string,
  bodies: string[],
  o: { ms: number; connections: number },
): Promise<{ ok: number; failed: number }> {
  const workerData = { undici: undiciPath, origin: url, path: v4Path(app, command), bodies, ...o }
  const worker = new Worker(CLOSED_LOOP, { eval: true, workerData })
  return new Promise((resolve) => worker.once('message', resolve))
}

/** `rate` requests a second for `ms`; the latency of each answer with ErrorCode 0, in ms. */
export function openLoop(
  url: string,
  app: AppConfig,
  command: string,
  bodies: string[],
  o: { ms: number; rate: number; connections: number },
): Promise<{ latencies: number[]; failed: number }> {
  const workerData = { undici: undiciPath, origin: url, path: v4Path(app, command), bodies, ...o }
  const worker = new Worker(OPEN_LOOP, { eval: true, workerData })
  return new Promise((resolve) => worker.once('message', resolve))
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
