/**
 * The HTTP listener, on node:http directly: the routes are few, and the bare baseline of the
 * benchmarks is node:http. It takes every body as raw bytes whatever its Content-Type, refuses
 * bodies over the cap without reading them, adds Tencent's CORS headers, gives each request an id,
 * logs each request once, and answers with the envelope whatever goes wrong at the HTTP layer.
 *
 * `/v4/*` goes to the v4 handler; everything else to the `Routes` table (`/api`, `/healthz`,
 * `/metrics`); an unknown path is 404 with 60009.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { Logger } from 'pino'
import type { ServerConfig } from '../config/config.js'
import { failure, type Envelope } from './envelope.js'
import type { V4Handler } from './handler.js'
import { describeClientError, rawResponse, type HttpFailure } from './http-failures.js'
import { lazyChild } from './lazy-log.js'
import { readBody } from './request-body.js'
import type { Method, RouteAnswer, RouteRequest, Routes } from './routes.js'
import { openEventStream } from './event-stream.js'

/** Headers Tencent's gateway sends (spec §1.2). */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'X-Requested-With',
  'access-control-allow-methods': 'POST',
}
const JSON_TYPE = 'application/json; charset=utf-8'

/** One answered request, for the access log and the metrics. */
export interface AccessRecord {
  requestId: string
  method: string
  /** Without the query string, which carries the usersig. */
  path: string
  /** A bounded label: `/v4`, a route pattern, `unmatched` or `malformed`. */
  route: string
  /** `service/command` of a /v4 call whose path names a known or unimplemented command. */
  command: string | undefined
  code: number | undefined
  sdkAppId: number | undefined
  status: number
  ms: number
}

export interface HttpServerDeps {
  config: ServerConfig
  logger: Logger
  handleV4: V4Handler
  routes: Routes
  /** Called once per request after it is answered (metrics). */
  onAnswered?: (record: AccessRecord) => void
}

export interface HttpServer {
  readonly server: Server
  listen(host: string, port: number): Promise<number>
  /** Stops accepting, ends event streams, lets requests in flight finish; resolves when all are done. */
  close(): Promise<void>
  /** Cuts every connection (the shutdown deadline passed). */
  destroyAll(): void
  /** Requests being answered now. */
  readonly inFlight: number
}

let requestCounter = 0
const requestIdPrefix = process.pid.toString(36)

function requestId(header: string | string[] | undefined): string {
  if (typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header)) return header
  return `${requestIdPrefix}-${(++requestCounter).toString(36)}`
}

/** An IPv4 peer on a dual-stack socket shows as `::ffff:a.b.c.d`; Tencent's `ClientIP` is plain. */
export function clientIp(ip: string | undefined): string {
  if (ip === undefined) return ''
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip
}

/**
 * Splits the request target into path and query. Origin-form is the common case; absolute-form
 * must be accepted by servers too (RFC 9112 §3.2.2), and `*` is OPTIONS' asterisk-form.
 */
export function splitTarget(url: string): { path: string; query: string } | undefined {
  let rest = url
  if (!url.startsWith('/')) {
    if (url === '*') return { path: '*', query: '' }
    const m = /^https?:\/\/[^/?#]*/i.exec(url)
    if (m === null) return undefined
    rest = url.slice(m[0].length) || '/'
    if (rest.startsWith('?')) rest = '/' + rest
  }
  const q = rest.indexOf('?')
  return q < 0 ? { path: rest, query: '' } : { path: rest.slice(0, q), query: rest.slice(q + 1) }
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH'])
const ROUTE_METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])

/** The listener could not start; the CLI exits with its own code (README "Exit codes"). */
export class ListenError extends Error {
  readonly code: string | undefined
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    const where = `${host.includes(':') ? `[${host}]` : host}:${port}`
    const reasons: Record<string, string> = {
      EADDRINUSE: `the port is in use (EADDRINUSE); stop what uses it or give another --port`,
      EACCES: `permission denied (EACCES); ports below 1024 need privileges`,
      EADDRNOTAVAIL: `the address is not one of this machine's (EADDRNOTAVAIL); check --host`,
      ENOTFOUND: `the host name does not resolve (ENOTFOUND); check --host`,
      EAI_AGAIN: `the host name could not be resolved now (EAI_AGAIN); check --host and DNS`,
    }
    super(`cannot listen on ${where}: ${reasons[cause.code ?? ''] ?? cause.message}`)
    this.name = 'ListenError'
    this.code = cause.code
  }
}

/** One request and its answer: writes the response and fills in the access record. */
class Exchange {
  readonly record: Omit<AccessRecord, 'ms'>
  readonly started = performance.now()

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly id: string,
    readonly method: string,
    readonly state: { closing: boolean },
  ) {
    this.record = {
      requestId: id,
      method,
      path: '-',
      route: 'malformed',
      command: undefined,
      code: undefined,
      sdkAppId: undefined,
      status: 200,
    }
  }

  write(status: number, type: string, body: string, extra?: Record<string, string>): void {
    this.record.status = status
    const headers: Record<string, string | number> = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'X-Requested-With',
      'access-control-allow-methods': 'POST',
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      'x-request-id': this.id,
    }
    if (this.state.closing) headers.connection = 'close'
    if (extra !== undefined) Object.assign(headers, extra)
    this.res.writeHead(status, headers)
    this.res.end(body)
  }

  envelope(status: number, env: Envelope, extra?: Record<string, string>): void {
    this.record.code = env.ErrorCode
    this.write(status, JSON_TYPE, JSON.stringify(env), extra)
  }

  noContent(): void {
    this.record.status = 204
    const headers: Record<string, string> = { ...CORS, 'x-request-id': this.id }
    if (this.state.closing) headers.connection = 'close'
    this.res.writeHead(204, headers).end()
  }

  /** 60008 for a body over the cap; the rest of it is not read, the connection closes after. */
  tooLarge(limit: number): void {
    this.envelope(200, failure(60008, `the request body is larger than ${limit} bytes`), {
      connection: 'close',
    })
  }
}

export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const { config, logger, handleV4, routes } = deps
  // Once shutdown begins, answers close their connection so keep-alive clients do not hold it open.
  const state = { closing: false }
  let inFlight = 0
  /** The response being written on each socket, so a late parser error does not corrupt it. */
  const active = new WeakMap<Socket, ServerResponse>()
  const streams = new Set<() => void>()

  const server = createServer({
    // A client gets requestTimeoutMs for its headers and its whole body (slow-loris defence); an
    // idle keep-alive connection lives keepAliveTimeoutMs, as Tencent advises long keep-alive.
    requestTimeout: config.requestTimeoutMs,
    headersTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // Node checks request timeouts on an interval fixed at construction (30 s by default); keep it
    // well under the timeout itself so slow clients are cut off on time.
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(config.requestTimeoutMs / 4))),
  })

  const finish = (record: Omit<AccessRecord, 'ms'>, started: number) => {
    const ms = Math.round((performance.now() - started) * 100) / 100
    logger.info(
      {
        reqId: record.requestId,
        method: record.method,
        path: record.path,
        status: record.status,
        command: record.command,
        code: record.code,
        sdkAppId: record.sdkAppId,
        ms,
      },
      'request',
    )
    deps.onAnswered?.({ ...record, ms })
  }

  const onRequest = async (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    const method = req.method ?? 'GET'
    const x = new Exchange(req, res, requestId(req.headers['x-request-id']), method, state)
    const socket = req.socket
    inFlight++
    active.set(socket, res)
    let streaming = false
    try {
      const target = splitTarget(req.url ?? '/')
      if (target === undefined) {
        x.envelope(400, failure(60002, 'the request target is not a path or an absolute URL'), {
          connection: 'close',
        })
      } else {
        x.record.path = target.path
        if (target.path.startsWith('/v4/')) await answerV4(x, target, expectsContinue)
        else streaming = await answerRoute(x, target, expectsContinue)
      }
    } catch (e) {
      logger.error({ err: e, reqId: x.id }, 'unexpected failure in the HTTP layer')
      if (!res.headersSent) x.envelope(200, failure(60008, 'the request could not be processed'))
      else res.destroy()
    } finally {
      inFlight--
      if (active.get(socket) === res) active.delete(socket)
    }
    if (!streaming) finish(x.record, x.started)
  }

  async function answerV4(x: Exchange, target: { path: string; query: string }, expectsContinue: boolean) {
    x.record.route = '/v4'
    if (x.method === 'OPTIONS') return x.noContent()
    if (x.method !== 'POST') {
      return x.envelope(200, failure(60002, `HTTP method ${x.method} is not supported: use POST`), {
        allow: 'POST, OPTIONS',
      })
    }
    const body = await readBody(x.req, x.res, config.bodyLimitBytes, expectsContinue)
    if (body.kind === 'too-large') return x.tooLarge(config.bodyLimitBytes)
    if (body.kind === 'aborted') {
      x.record.status = 499
      return
    }
    const outcome = await handleV4({
      path: target.path,
      query: target.query,
      body: body.bytes,
      log: lazyChild(logger, { reqId: x.id }),
      clientIp: clientIp(x.req.socket.remoteAddress),
    })
    x.record.command = outcome.command
    x.record.sdkAppId = outcome.sdkAppId
    x.envelope(200, outcome.envelope)
  }

  /** Answers from the routes table; true when the answer is a stream that goes on. */
  async function answerRoute(
    x: Exchange,
    target: { path: string; query: string },
    expectsContinue: boolean,
  ): Promise<boolean> {
    const { method } = x
    const lookup = method === 'HEAD' || method === 'OPTIONS' ? 'GET' : method
    let match = routes.match(lookup, target.path)
    if (method === 'OPTIONS' && match.kind === 'none') match = routes.match('POST', target.path)
    if (match.kind === 'none') {
      x.record.route = 'unmatched'
      x.envelope(404, failure(60009, `no such resource: ${method} ${target.path}`))
      return false
    }
    if (method === 'OPTIONS') {
      x.record.route = match.kind === 'route' ? match.route.pattern : 'unmatched'
      x.noContent()
      return false
    }
    if (match.kind === 'method' || !ROUTE_METHODS.has(lookup)) {
      const allowed = match.kind === 'method' ? match.allowed.join(', ') : 'GET'
      x.envelope(405, failure(60002, `HTTP method ${method} is not supported here: use ${allowed}`), {
        allow: allowed,
      })
      return false
    }
    x.record.route = match.route.pattern
    let body: Buffer | undefined
    if (BODY_METHODS.has(method)) {
      const read = await readBody(x.req, x.res, config.bodyLimitBytes, expectsContinue)
      if (read.kind === 'too-large') {
        x.tooLarge(config.bodyLimitBytes)
        return false
      }
      if (read.kind === 'aborted') {
        x.record.status = 499
        return false
      }
      body = read.bytes
    }
    const request: RouteRequest = {
      method: lookup as Method,
      path: target.path,
      params: match.params,
      query: target.query,
      headers: x.req.headers,
      body,
      requestId: x.id,
      clientIp: clientIp(x.req.socket.remoteAddress),
      log: lazyChild(logger, { reqId: x.id }),
    }
    const answer: RouteAnswer = await match.route.handler(request)
    x.record.sdkAppId = answer.sdkAppId
    x.record.code = answer.code
    if (answer.kind === 'json') {
      const value = answer.body
      if (answer.code === undefined && typeof value === 'object' && value !== null && 'ErrorCode' in value) {
        x.record.code = Number((value as { ErrorCode: unknown }).ErrorCode)
      }
      x.write(answer.status, JSON_TYPE, JSON.stringify(value), answer.headers)
      return false
    }
    if (answer.kind === 'text') {
      x.write(answer.status, answer.contentType, answer.body, answer.headers)
      return false
    }
    // A stream's access line is written when it ends.
    void openEventStream(x.res, x.id, CORS, streams, answer, request.log).then(() =>
      finish(x.record, x.started),
    )
    return true
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => void onRequest(req, res, false))
  // Expect: 100-continue: the body is asked for only when it will be read (not over the cap).
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => void onRequest(req, res, true))

  /** Answers on a bare socket (no ServerResponse exists) and logs the request. */
  const refuse = (socket: Socket, method: string, path: string, f: HttpFailure) => {
    const id = requestId(undefined)
    socket.end(rawResponse(f, { ...CORS, 'x-request-id': id }), () => socket.destroy())
    const record = {
      requestId: id,
      method,
      path,
      route: 'malformed',
      command: undefined,
      sdkAppId: undefined,
    }
    finish({ ...record, code: f.envelope.ErrorCode, status: f.status }, performance.now())
  }
  // CONNECT and protocol upgrades are not part of any API here.
  server.on('connect', (req: IncomingMessage, socket: Socket) =>
    refuse(socket, req.method ?? 'CONNECT', '-', {
      status: 405,
      envelope: failure(60002, `HTTP method ${req.method} is not supported: use POST`),
    }),
  )
  server.on('upgrade', (req: IncomingMessage, socket: Socket) =>
    refuse(socket, req.method ?? '-', splitTarget(req.url ?? '/')?.path ?? '-', {
      status: 400,
      envelope: failure(60002, 'protocol upgrades are not supported'),
    }),
  )
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    // A client that went away, or a socket whose answer has begun: nothing can be said.
    if (
      err.code === 'ECONNRESET' ||
      err.code === 'EPIPE' ||
      !socket.writable ||
      active.get(socket)?.headersSent
    ) {
      socket.destroy()
      return
    }
    refuse(socket, '-', '-', describeClientError(err, config.requestTimeoutMs))
  })

  return {
    server,
    get inFlight() {
      return inFlight + streams.size
    },
    listen(host, port) {
      return new Promise<number>((resolve, reject) => {
        server.once('error', (e) => reject(new ListenError(host, port, e)))
        server.listen({ host, port }, () => {
          server.removeAllListeners('error')
          const address = server.address()
          resolve(typeof address === 'object' && address !== null ? address.port : port)
        })
      })
    },
    close() {
      state.closing = true
      for (const end of [...streams]) end()
      // Answers from now on say Connection: close; connections that were mid-answer or streaming
      // go idle once done, and are closed then.
      const sweep = setInterval(() => server.closeIdleConnections(), 50)
      return new Promise<void>((resolve) =>
        server.close(() => {
          clearInterval(sweep)
          resolve()
        }),
      )
    },
    destroyAll() {
      for (const end of [...streams]) end()
      server.closeAllConnections()
    },
  }
}
